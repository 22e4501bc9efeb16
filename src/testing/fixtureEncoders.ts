/**
 * Small writers for test fixtures in other tools' formats (NumPy .npy, matrices as text, poses in
 * other conventions). Tests build every fixture from these at run time; no binary fixture is
 * committed.
 */

/** NumPy .npy writer: the app's own (mask export), shared rather than copied. */
export { encodeNpy, npyHeader } from '../core/formats/npyEncode.ts';

/** A row-major 4×4 as 4 lines of 4 numbers (full round-trip precision). */
export function matrixRows(m: readonly number[]): string {
  return [0, 1, 2, 3]
    .map((r) =>
      m
        .slice(r * 4, r * 4 + 4)
        .map(String)
        .join(' '),
    )
    .join('\n');
}

/** Inverse of a rigid row-major 4×4. */
export function invertRigid4(m: readonly number[]): number[] {
  const r = [m[0]!, m[1]!, m[2]!, m[4]!, m[5]!, m[6]!, m[8]!, m[9]!, m[10]!];
  const t = [m[3]!, m[7]!, m[11]!];
  const rt = [r[0]!, r[3]!, r[6]!, r[1]!, r[4]!, r[7]!, r[2]!, r[5]!, r[8]!];
  const ti = [0, 1, 2].map((i) => -(rt[i * 3]! * t[0]! + rt[i * 3 + 1]! * t[1]! + rt[i * 3 + 2]! * t[2]!));
  return [rt[0]!, rt[1]!, rt[2]!, ti[0]!, rt[3]!, rt[4]!, rt[5]!, ti[1]!, rt[6]!, rt[7]!, rt[8]!, ti[2]!, 0, 0, 0, 1];
}

/** Unit quaternion (x, y, z, w) of the rotation part of a row-major 4×4 (Shepperd's method). */
export function rotationToQuaternion(m: readonly number[]): [number, number, number, number] {
  const [m00, m01, m02, , m10, m11, m12, , m20, m21, m22] = m as [number, number, number, number, number, number, number, number, number, number, number];
  const trace = m00 + m11 + m22;
  if (trace > 0) {
    const s = Math.sqrt(trace + 1) * 2;
    return [(m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s, s / 4];
  }
  if (m00 > m11 && m00 > m22) {
    const s = Math.sqrt(1 + m00 - m11 - m22) * 2;
    return [s / 4, (m01 + m10) / s, (m02 + m20) / s, (m21 - m12) / s];
  }
  if (m11 > m22) {
    const s = Math.sqrt(1 + m11 - m00 - m22) * 2;
    return [(m01 + m10) / s, s / 4, (m12 + m21) / s, (m02 - m20) / s];
  }
  const s = Math.sqrt(1 + m22 - m00 - m11) * 2;
  return [(m02 + m20) / s, (m12 + m21) / s, s / 4, (m10 - m01) / s];
}

/** OpenCV camera-to-world → OpenGL (nerfstudio, ARKit): C · diag(1, −1, −1, 1). */
export function openCvToOpenGl(m: readonly number[]): number[] {
  return m.map((v, i) => ((i % 4 === 1 || i % 4 === 2) && i < 12 ? -v : v));
}
