/**
 * Argument parsing shared by every `fieldlens` command: options are `--name value` or `--name`
 * flags, as the running command's rows in the command table (commandTable.ts) declare them, so the
 * same name can be a flag for one command and take a value for another (`--labels`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { checkFileSize, type CaptureFile } from '../core/capture/captureFiles.ts';
import type { CaptureSettings } from '../core/capture/captureSettings.ts';
import { captureSettingsFromOptions } from './captureOptions.ts';

/** One option of a command: its name, the placeholder of its value (absent for a flag), its help lines. */
export interface CliOptionRow {
  readonly name: string;
  readonly value?: string;
  readonly help: readonly string[];
}

export interface ParsedArgs {
  /** Positional arguments after the command name. */
  readonly positional: string[];
  readonly options: Map<string, string | true>;
}

/** Parses `argv` against `rows` (later rows of the same name win); an unknown option is an error. */
export function parseArgs(argv: readonly string[], rows: readonly CliOptionRow[], command: string): ParsedArgs {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const row = byName.get(name);
    if (row === undefined) throw new Error(`unknown option --${name}${command ? ` for ${command}` : ''} (try fieldlens --help)`);
    if (row.value !== undefined) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      options.set(name, value);
    } else {
      options.set(name, true);
    }
  }
  return { positional, options };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function numberOption(args: ParsedArgs, name: string): number | undefined {
  const raw = args.options.get(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(value) || value < 0) throw new Error(`--${name}: expected a non-negative number, found ${String(raw)}`);
  return value;
}

/** A whole number ≥ `min`, or `fallback` when absent. */
export function countOption(args: ParsedArgs, name: string, fallback: number, min = 1): number {
  const value = numberOption(args, name) ?? fallback;
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name}: expected a whole number ≥ ${min}, found ${value}`);
  return value;
}

export function requiredOption(args: ParsedArgs, name: string, message: string): string {
  const value = stringOption(args, name);
  if (value === undefined) throw new Error(message);
  return value;
}

export function choice<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const raw = args.options.get(name);
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !(allowed as readonly string[]).includes(raw))
    throw new Error(`--${name}: expected one of ${allowed.join(', ')}, found ${String(raw)}`);
  return raw as T;
}

/**
 * Files as the core expects them: a folder contributes its files with paths relative to it.
 * All CLI file I/O is synchronous on purpose: once onnxruntime-web is imported, Node delivered
 * libuv completions (fs promises, WebCrypto) tens of seconds late in our measurements.
 */
export function readInputs(paths: readonly string[]): CaptureFile[] {
  const out: CaptureFile[] = [];
  for (const path of paths) {
    const info = existsSync(path) ? statSync(path) : null;
    if (!info) throw new Error(`${path}: no such file or folder`);
    if (info.isDirectory()) {
      for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const full = join(entry.parentPath, entry.name);
        checkFileSize(full, statSync(full).size);
        out.push({ name: relative(path, full).split(sep).join('/'), bytes: new Uint8Array(readFileSync(full)) });
      }
    } else {
      checkFileSize(path, info.size);
      out.push({ name: basename(path), bytes: new Uint8Array(readFileSync(path)) });
    }
  }
  return out;
}

/** Capture settings from the options; `--intrinsics FILE` adds that file to the capture's files. */
export function captureOptions(args: ParsedArgs): { options: CaptureSettings; extraFiles: CaptureFile[] } {
  const { settings, extraFiles } = captureSettingsFromOptions(args.options, readInputs);
  return { options: settings, extraFiles };
}

/** The files of the capture named by `paths` (plus an intrinsics file option) and its settings. */
export function readCapture(args: ParsedArgs, paths: readonly string[]): { files: CaptureFile[]; capture: CaptureSettings } {
  const { options, extraFiles } = captureOptions(args);
  return { files: [...readInputs(paths), ...extraFiles], capture: options };
}

const HELP_COLUMN = 31;

/** Help lines of option rows, indented under a command's usage line (continuation lines aligned). */
export function optionRowsHelp(rows: readonly CliOptionRow[], indent = 8): string[] {
  return rows.flatMap((o) => {
    const head = `${' '.repeat(indent)}--${o.name}${o.value ? ` ${o.value}` : ''}`;
    const [first = '', ...rest] = o.help;
    const lines = head.length < HELP_COLUMN ? [`${head.padEnd(HELP_COLUMN)}${first}`] : [head, `${' '.repeat(HELP_COLUMN)}${first}`];
    return [...lines, ...rest.map((l) => `${' '.repeat(HELP_COLUMN)}${l}`)];
  });
}
