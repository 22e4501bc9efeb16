/**
 * The capture-format registry: one entry per format, asked in order, the first whose `detect`
 * accepts the dropped files assembles them. Layouts (ScanNet, TUM, …) are detected by names and
 * folders, single files by content or extension. Detection, the file picker's accept list, the
 * CLI's list of formats and "is this a point-cloud file" all read the same entries, so a new format
 * is one module plus one line in captureFormats.ts.
 */
import { extensionOf } from '../formats/paths.ts';
import type { CaptureFile } from './captureFiles.ts';
import type { AssembledCapture, AssembleOptions, CaptureContent } from './captureTypes.ts';
import { FormatError } from '../formats/formatError.ts';

export interface CaptureFormatEntry {
  /** Stable id, reported as `format` by the studio and `fieldlens info --json`. */
  readonly id: string;
  /** What it is and what to drop, one line (the CLI's help lists these). */
  readonly label: string;
  /** Extensions (lower case, no dot) the file picker offers for this format's files. */
  readonly extensions: readonly string[];
  /**
   * A self-contained point-cloud file (PLY, PCD), recognised by extension. One is loaded on its
   * own: the registry refuses it together with other files, or two of them.
   */
  readonly pointCloudFile?: boolean;
  /** Whether `files` (zips expanded, common root folder stripped) are a capture of this format. */
  detect(files: readonly CaptureFile[]): boolean;
  /** Parses everything before returning, so nothing half-built reaches the scene. */
  assemble(files: readonly CaptureFile[], options: AssembleOptions): CaptureContent;
}

export class CaptureRegistry {
  constructor(readonly entries: readonly CaptureFormatEntry[]) {
    const ids = entries.map((e) => e.id);
    const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
    if (repeated) throw new Error(`capture formats: the id "${repeated}" is registered twice`);
  }

  /** The point-cloud entry that claims this file by its extension, if any. */
  pointCloudFormatOf(file: { readonly name: string }): CaptureFormatEntry | undefined {
    const ext = extensionOf(file.name);
    return this.entries.find((e) => e.pointCloudFile && e.extensions.includes(ext));
  }

  isPointCloudFile(file: { readonly name: string }): boolean {
    return this.pointCloudFormatOf(file) !== undefined;
  }

  /** The first entry that accepts the files; a clear error when none does. */
  detect(files: readonly CaptureFile[]): CaptureFormatEntry {
    if (files.length === 0) throw new FormatError('no files were dropped');
    const entry = this.entries.find((e) => e.detect(files));
    if (!entry) {
      throw new FormatError(`${files[0]!.name}: not a capture FieldLens reads (expected one of: ${this.entries.map((e) => e.label).join('; ')})`);
    }
    return entry;
  }

  assemble(files: readonly CaptureFile[], options: AssembleOptions): AssembledCapture {
    const entry = this.detect(files);
    if (entry.pointCloudFile) refuseCompanions(files, this);
    return { ...entry.assemble(files, options), format: entry.id };
  }

  /** The file input's `accept`: every registered extension, plus zips. */
  acceptList(): string {
    const extensions = new Set(['zip', ...this.entries.flatMap((e) => e.extensions)]);
    return [...extensions].map((e) => `.${e}`).join(',');
  }

  /** One line per format for the CLI's help. */
  helpLines(): string[] {
    return this.entries.map((e) => `${e.id.padEnd(20)} ${e.label}`);
  }
}

/** A point cloud is loaded on its own; a second cloud or any other file is refused by name. */
function refuseCompanions(files: readonly CaptureFile[], registry: CaptureRegistry): void {
  const clouds = files.filter((f) => registry.isPointCloudFile(f));
  if (clouds.length > 1)
    throw new FormatError(`${clouds[1]!.name}: more than one point cloud dropped (${clouds.map((f) => f.name).join(', ')}); drop one at a time`);
  const others = files.filter((f) => f !== clouds[0]);
  if (others.length > 0)
    throw new FormatError(`${others[0]!.name}: dropped together with the point cloud ${clouds[0]!.name}; a point cloud is loaded on its own`);
}
