/**
 * Which drawn point is under the cursor: of the points whose drawn disc covers the cursor, the
 * one nearest the camera. Done here over the point buffer, once per double-click — three's Points
 * raycast reports every point within a world-space threshold of the ray, so a handler per hit ran
 * once per point along the ray (96 on the demo) and the last worker reply won.
 */

/** What the pick needs of the view; matrices are column-major 4×4 (three's `elements`). */
export interface PickView {
  /** projection × view (world → clip). */
  readonly viewProjection: ArrayLike<number>;
  /** `projectionMatrix.elements[5]`: 1 / tan(fov / 2) of a perspective camera. */
  readonly projectionYScale: number;
  /** Canvas size in CSS pixels. */
  readonly width: number;
  readonly height: number;
  /** The cursor in CSS pixels from the canvas's top-left corner. */
  readonly cursor: readonly [number, number];
  /** How points are drawn (cloudMaterials.ts): a fixed diameter in CSS pixels, or in metres. */
  readonly size: { readonly mode: 'pixels'; readonly pixels: number } | { readonly mode: 'world'; readonly metres: number };
  /**
   * Smallest pick radius, CSS pixels: a 2.5 px point is hard to hit exactly, so a cursor this
   * close to a point's centre still picks it.
   */
  readonly minRadius: number;
  /** Points outside are not drawn (the crop box), so not picked; metres, world frame. */
  readonly crop?: { readonly min: readonly number[]; readonly max: readonly number[] } | null;
}

/** Index of the nearest point whose drawn disc (at least `minRadius`) covers the cursor, or null. */
export function pickNearestPoint(positions: Float32Array, count: number, view: PickView): number | null {
  const m = view.viewProjection;
  const [cx, cy] = view.cursor;
  const crop = view.crop ?? null;
  let best: number | null = null;
  let bestDepth = Infinity;
  for (let i = 0; i < count; i++) {
    const x = positions[i * 3]!;
    const y = positions[i * 3 + 1]!;
    const z = positions[i * 3 + 2]!;
    if (crop && (x < crop.min[0]! || y < crop.min[1]! || z < crop.min[2]! || x > crop.max[0]! || y > crop.max[1]! || z > crop.max[2]!)) continue;
    const w = m[3]! * x + m[7]! * y + m[11]! * z + m[15]!;
    if (w <= 0) continue; // behind the camera
    const depth = (m[2]! * x + m[6]! * y + m[10]! * z + m[14]!) / w;
    if (depth < -1 || depth > 1 || depth >= bestDepth) continue; // clipped, or behind the best so far
    const px = ((m[0]! * x + m[4]! * y + m[8]! * z + m[12]!) / w + 1) * 0.5 * view.width;
    const py = (1 - (m[1]! * x + m[5]! * y + m[9]! * z + m[13]!) / w) * 0.5 * view.height;
    // As the vertex shader sizes it: world size = a sphere's projected diameter at view depth w.
    const diameter = view.size.mode === 'pixels' ? view.size.pixels : (view.size.metres * view.projectionYScale * 0.5 * view.height) / w;
    const radius = Math.max(diameter / 2, view.minRadius);
    if ((px - cx) ** 2 + (py - cy) ** 2 <= radius * radius) {
      best = i;
      bestDepth = depth;
    }
  }
  return best;
}
