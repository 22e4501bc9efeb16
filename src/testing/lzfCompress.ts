/**
 * A greedy LZF compressor (liblzf's format: literal runs of ≤ 32 bytes, back-references of 3–264
 * bytes up to 8 KiB back) for test fixtures and benchmarks; FieldLens only decompresses.
 */
export function lzfCompress(input: Uint8Array): Uint8Array {
  const out: number[] = [];
  const last = new Map<number, number>(); // 3-byte sequence → latest position
  let literal: number[] = [];
  const flush = () => {
    for (let k = 0; k < literal.length; k += 32) {
      const run = literal.slice(k, k + 32);
      out.push(run.length - 1, ...run);
    }
    literal = [];
  };
  let i = 0;
  while (i < input.length) {
    if (i + 2 < input.length) {
      const key = (input[i]! << 16) | (input[i + 1]! << 8) | input[i + 2]!;
      const ref = last.get(key);
      last.set(key, i);
      if (ref !== undefined && i - ref - 1 < 8192) {
        const max = Math.min(264, input.length - i);
        let len = 3;
        while (len < max && input[ref + len] === input[i + len]) len++;
        flush();
        const offset = i - ref - 1;
        const l = len - 2;
        if (l < 7) out.push((l << 5) | (offset >> 8), offset & 255);
        else out.push((7 << 5) | (offset >> 8), l - 7, offset & 255);
        i += len;
        continue;
      }
    }
    literal.push(input[i]!);
    i++;
  }
  flush();
  return Uint8Array.from(out);
}
