/**
 * Dropped files as the capture assembler sees them: relative paths (folders kept, so a ScanNet
 * `color/0.jpg` stays distinguishable from `depth/0.png`) and bytes. Zip archives are expanded
 * here, in memory, with fflate; nested folders inside a zip keep their paths.
 */
import { unzipSync } from 'fflate';
import type { NamedBytes } from '../units.ts';
import { FormatError } from '../formats/formatError.ts';

/** A file of a capture; `name` is the path relative to the dropped folder or zip root, '/'-separated. */
export type CaptureFile = NamedBytes;

/**
 * The largest single file FieldLens reads into a tab. Browsers cap ArrayBuffers near 2 GiB and
 * a tab's memory well below; refusing early keeps the loaded scene alive instead of crashing.
 */
export const MAX_FILE_BYTES = 1024 * 1024 * 1024;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** Throws before any byte is read when a file is too large to load in a browser tab. */
export function checkFileSize(name: string, sizeBytes: number): void {
  if (sizeBytes > MAX_FILE_BYTES) {
    throw new FormatError(
      `${name}: ${formatBytes(sizeBytes)} is larger than the ${formatBytes(MAX_FILE_BYTES)} FieldLens loads in a browser tab; down-sample it first (e.g. fieldlens info --voxel 0.01) or split it`,
    );
  }
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_ZIP_MAGIC = [0x50, 0x4b, 0x05, 0x06];

export function isZip(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b) || EMPTY_ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

/** Hidden files and OS litter that zips and folders carry and no parser wants. */
function isLitter(path: string): boolean {
  return path.split('/').some((part) => part.startsWith('.') || part === '__MACOSX' || part === 'Thumbs.db' || part === 'desktop.ini');
}

/**
 * What a zip may expand to: at most MAX_FILE_BYTES in all, and beyond ZIP_RATIO_FREE_BYTES no more
 * than MAX_ZIP_RATIO times its own size (depth PNGs and JPEGs barely compress; 1,000:1 is a bomb).
 * Checked from the declared entry sizes before anything is inflated; an entry cannot inflate past
 * its declared size (the output buffer is that size), so a lie smaller than the truth fails as corrupt.
 */
export const MAX_ZIP_RATIO = 100;
export const ZIP_RATIO_FREE_BYTES = 64 * 1024 * 1024;
/**
 * More entries than any capture has (a long ScanNet scene: ~25,000 files) and below a plain zip's
 * 65,535; each entry costs an object and a name before any size is known.
 */
export const MAX_ZIP_ENTRIES = 60_000;

function unzipWithinBudget(file: CaptureFile, maxEntries: number): Record<string, Uint8Array> {
  let declared = 0;
  const budget = Math.min(MAX_FILE_BYTES, Math.max(ZIP_RATIO_FREE_BYTES, file.bytes.length * MAX_ZIP_RATIO));
  const refuse = () =>
    new FormatError(
      `${file.name}: the zip's entries expand to ${formatBytes(declared)} or more from ${formatBytes(file.bytes.length)}; FieldLens expands at most ${formatBytes(budget)} from a zip this size (a zip bomb, or unzip it and drop the files)`,
    );
  const entries: Record<string, Uint8Array> = Object.create(null) as Record<string, Uint8Array>;
  let tooBig = false;
  let count = 0;
  const all = unzipSync(file.bytes, {
    filter: (entry) => {
      declared += entry.originalSize;
      if (declared > budget) tooBig = true;
      count++;
      // A name like "__proto__" would set the prototype of fflate's result object; such entries are litter.
      return !tooBig && count <= maxEntries && !(entry.name in Object.prototype);
    },
  });
  if (tooBig) throw refuse();
  if (count > maxEntries) {
    throw new FormatError(
      `${file.name}: the zip holds ${count.toLocaleString('en')} entries; FieldLens expands at most ${maxEntries.toLocaleString('en')} (unzip it and drop the capture's folder)`,
    );
  }
  for (const [path, bytes] of Object.entries(all)) entries[path] = bytes;
  return entries;
}

/** Replaces every zip by its entries (paths relative to the zip root); drops directory entries and litter. */
export function expandArchives(files: readonly CaptureFile[], maxZipEntries = MAX_ZIP_ENTRIES): CaptureFile[] {
  const out: CaptureFile[] = [];
  for (const file of files) {
    if (isLitter(file.name)) continue;
    if (!isZip(file.bytes)) {
      out.push(file);
      continue;
    }
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipWithinBudget(file, maxZipEntries);
    } catch (error) {
      if (error instanceof FormatError) throw error;
      throw new FormatError(`${file.name}: corrupt or truncated zip archive (${(error as Error).message})`, { cause: error });
    }
    const inner = Object.entries(entries).filter(([path, bytes]) => !path.endsWith('/') && !isLitter(path) && bytes.length > 0);
    if (inner.length === 0) throw new FormatError(`${file.name}: the zip archive holds no files`);
    // One level only: a zip inside a zip would multiply the expansion budget (and no capture needs it).
    const nested = inner.find(([, bytes]) => isZip(bytes));
    if (nested) throw new FormatError(`${file.name}: holds another zip (${nested[0]}); FieldLens expands one level of zip — unzip it and drop its files`);
    for (const [path, bytes] of inner) out.push({ name: path, bytes });
  }
  return stripCommonRoot(out);
}

/** "scan/color/0.jpg", "scan/depth/0.png" → "color/0.jpg", "depth/0.png": a dropped folder's own name is noise. */
export function stripCommonRoot(files: readonly CaptureFile[]): CaptureFile[] {
  if (files.length === 0) return [];
  const first = files[0]!.name.split('/');
  let depth = 0;
  while (depth < first.length - 1 && files.every((f) => f.name.split('/')[depth] === first[depth] && f.name.split('/').length > depth + 1)) depth++;
  return depth === 0 ? [...files] : files.map((f) => ({ name: f.name.split('/').slice(depth).join('/'), bytes: f.bytes }));
}
