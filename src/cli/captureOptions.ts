/**
 * The CLI's capture options and their help, derived from the capture-settings table, and the list
 * of capture formats, derived from the registry: a new setting or format needs no edit here.
 */
import {
  CAPTURE_SETTING_FIELDS,
  captureSettings,
  parseTypedIntrinsics,
  type CaptureSettings,
  type CaptureSettingsInput,
} from '../core/capture/captureSettings.ts';
import type { CaptureFile } from '../core/capture/captureFiles.ts';
import type { CaptureRegistry } from '../core/capture/captureRegistry.ts';

/** Capture options that take a value (`--voxel 0.01`). */
export const CAPTURE_VALUE_OPTIONS: readonly string[] = CAPTURE_SETTING_FIELDS.filter((f) => f.cli.value !== undefined).map((f) => f.cli.name);
/** Capture options that are flags (`--remove-outliers`). */
export const CAPTURE_FLAG_OPTIONS: readonly string[] = CAPTURE_SETTING_FIELDS.filter((f) => f.cli.value === undefined).map((f) => f.cli.name);

const HELP_COLUMN = 26;

/** The "Options:" lines for the capture settings, one row (and its continuation lines) per setting. */
export function captureOptionsHelp(): string {
  return CAPTURE_SETTING_FIELDS.flatMap(({ cli }) => {
    const head = `  --${cli.name}${cli.value ? ` ${cli.value}` : ''}`;
    const [first = '', ...rest] = cli.help;
    const lines = head.length < HELP_COLUMN ? [`${head.padEnd(HELP_COLUMN)}${first}`] : [head, `${' '.repeat(HELP_COLUMN)}${first}`];
    return [...lines, ...rest.map((line) => `${' '.repeat(HELP_COLUMN)}${line}`)];
  }).join('\n');
}

/** The "Capture formats:" lines: every registered format, in detection order. */
export function captureFormatsHelp(registry: CaptureRegistry): string {
  return registry
    .helpLines()
    .map((line) => `  ${line}`)
    .join('\n');
}

/**
 * Capture settings from parsed options. `--intrinsics` that is not four numbers names a file
 * (Open3D .json, ScanNet .txt, …), returned to be dropped together with the capture.
 */
export function captureSettingsFromOptions(
  options: ReadonlyMap<string, string | true>,
  readFiles: (paths: readonly string[]) => CaptureFile[],
): { settings: CaptureSettings; extraFiles: CaptureFile[] } {
  let patch: CaptureSettingsInput = {};
  const extraFiles: CaptureFile[] = [];
  for (const field of CAPTURE_SETTING_FIELDS) {
    const raw = options.get(field.cli.name);
    if (raw === undefined) continue;
    if (field.key === 'intrinsics' && typeof raw === 'string' && !parseTypedIntrinsics(raw)) {
      extraFiles.push(...readFiles([raw]));
      continue;
    }
    patch = { ...patch, ...field.parse(raw) };
  }
  return { settings: captureSettings(patch), extraFiles };
}
