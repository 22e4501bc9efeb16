/**
 * The few globals the pure core may use: they exist identically in browsers, workers and Node,
 * while everything else environment-specific (DOM, fs, fetch) stays out of src/core.
 */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
