/** Path helpers for dropped files: names are '/'-separated paths relative to the dropped folder or zip root. */

/** Lower-case extension without the dot ('' when none): "scan/Cloud.PLY" → "ply". */
export function extensionOf(path: string): string {
  const base = baseName(path);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function dirName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}
