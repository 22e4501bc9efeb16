/**
 * Colormaps for scalar fields (relevancy, similarity). Turbo uses Google's published polynomial
 * approximation (Mikhailov 2019), accurate to a few 1/255 of the reference table.
 */

export type ColormapName = 'turbo';

/** Maps t ∈ [0, 1] (clamped) to turbo RGB, writing 3 bytes at out[offset]. */
export function turboInto(t: number, out: Uint8Array, offset: number): void {
  const x = t < 0 ? 0 : t > 1 ? 1 : t;
  const x2 = x * x;
  const x3 = x2 * x;
  const x4 = x3 * x;
  const x5 = x4 * x;
  const r = 0.13572138 + 4.6153926 * x - 42.66032258 * x2 + 132.13108234 * x3 - 152.94239396 * x4 + 59.28637943 * x5;
  const g = 0.09140261 + 2.19418839 * x + 4.84296658 * x2 - 14.18503333 * x3 + 4.27729857 * x4 + 2.82956604 * x5;
  const b = 0.1066733 + 12.64194608 * x - 60.58204836 * x2 + 110.36276771 * x3 - 89.90310912 * x4 + 27.34824973 * x5;
  out[offset] = clampByte(r);
  out[offset + 1] = clampByte(g);
  out[offset + 2] = clampByte(b);
}

function clampByte(v: number): number {
  return Math.round(Math.min(1, Math.max(0, v)) * 255);
}

/** Colours `values` by turbo over [min, max]; non-finite values map to grey. */
export function colorizeScalarField(values: Float32Array, min: number, max: number, out: Uint8Array = new Uint8Array(values.length * 3)): Uint8Array {
  const span = max > min ? max - min : 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) turboInto((v - min) / span, out, i * 3);
    else out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = 128;
  }
  return out;
}
