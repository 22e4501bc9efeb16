/** A file as the core sees it: a name (for messages and detection) and its bytes. */
export interface NamedBytes {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
export function bytesToText(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
