/**
 * Turns a drop (files, folders, or both) into File objects with paths relative to what was
 * dropped, walking folders through the File and Directory Entries API. The parsers need the paths:
 * a ScanNet `depth/0.png` and `color/0.jpg` are told apart by their folders.
 */
export interface DroppedFile {
  /** '/'-separated path relative to the dropped item (a folder's own name included). */
  readonly path: string;
  readonly file: File;
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function walk(entry: FileSystemEntry, out: DroppedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path: entry.fullPath.replace(/^\//, ''), file });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns batches (100 at a time in Chromium) until an empty one.
  for (;;) {
    const batch = await readEntries(reader);
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, out);
  }
}

export async function filesFromDataTransfer(dataTransfer: DataTransfer): Promise<DroppedFile[]> {
  // Entries must be taken synchronously, before the first await: the DataTransfer empties after the event.
  const entries = Array.from(dataTransfer.items, (item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null));
  if (entries.some((e) => e?.isDirectory)) {
    const out: DroppedFile[] = [];
    for (const entry of entries) if (entry) await walk(entry, out);
    return out;
  }
  return Array.from(dataTransfer.files, (file) => ({ path: file.webkitRelativePath || file.name, file }));
}

export function filesFromInput(list: FileList | null): DroppedFile[] {
  return Array.from(list ?? [], (file) => ({ path: file.webkitRelativePath || file.name, file }));
}
