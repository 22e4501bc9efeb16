/**
 * LZF decompression (Marc Lehmann's liblzf format, as PCL writes in binary_compressed PCD).
 *
 * The stream is a sequence of chunks, each starting with a control byte `ctrl`:
 * - ctrl < 32: a literal run: the next ctrl + 1 bytes are copied to the output;
 * - otherwise a back-reference: length = ctrl >> 5 (7 means "7 + the next byte"), plus 2;
 *   offset = ((ctrl & 31) << 8 | next byte) + 1 bytes back from the current output position.
 *   The source may overlap the bytes being written (run-length style), so copy byte by byte.
 */
import { FormatError } from './formatError.ts';

/** Decompresses `input` into exactly `outputLength` bytes; throws on a corrupt or short stream. */
export function lzfDecompress(input: Uint8Array, outputLength: number): Uint8Array {
  const out = new Uint8Array(outputLength);
  const inEnd = input.length;
  let ip = 0;
  let op = 0;
  // Hot loop shaped like liblzf's own: do-while copies (every run is ≥ 1 byte), no per-run
  // allocation; the checks only guard the bounds.
  while (ip < inEnd) {
    const ctrl = input[ip++]!;
    if (ctrl < 32) {
      let len = ctrl + 1;
      if (ip + len > inEnd) throw new FormatError(`LZF: literal run of ${len} bytes at input byte ${ip - 1} runs past the end of the input (${inEnd} bytes)`);
      if (op + len > outputLength) throw new FormatError(`LZF: output exceeds the expected ${outputLength} bytes`);
      do out[op++] = input[ip++]!;
      while (--len);
    } else {
      let len = ctrl >> 5;
      if (len === 7) {
        if (ip >= inEnd) throw new FormatError(`LZF: back-reference at input byte ${ip - 1} is cut off by the end of the input`);
        len += input[ip++]!;
      }
      if (ip >= inEnd) throw new FormatError(`LZF: back-reference at input byte ${ip - 1} is cut off by the end of the input`);
      let ref = op - ((ctrl & 0x1f) << 8) - input[ip++]! - 1;
      len += 2;
      if (ref < 0) throw new FormatError(`LZF: back-reference at output byte ${op} points ${op - ref} bytes back, before the start of the output`);
      if (op + len > outputLength) throw new FormatError(`LZF: output exceeds the expected ${outputLength} bytes`);
      // Byte by byte: the source may overlap the bytes being written.
      do out[op++] = out[ref++]!;
      while (--len);
    }
  }
  if (op !== outputLength) throw new FormatError(`LZF: stream decompressed to ${op} bytes, expected ${outputLength}`);
  return out;
}
