/**
 * Procedural surface patterns (wood grain, dice pips). Evaluated in world/object space so a surface
 * looks the same from every view. Only +, −, ×, /, floor and abs are used so results are bit-identical
 * on every JS engine (no Math.sin, whose last bit is implementation-defined).
 */
import { worldToBoxLocal, type Shape, type Vec3 } from './primitives.ts';
import type { RgbBytes, SynthMaterial } from './sceneTypes.ts';

const DICE_PIP_COLOUR: RgbBytes = [28, 24, 20];
/** Pip radius as a fraction of the face half-size. */
const DICE_PIP_RADIUS_FRACTION = 0.2;

/** Pip centres per face value, in face coordinates scaled to [−1, 1]. */
const DICE_PIP_CENTRES: Readonly<Record<number, readonly (readonly [number, number])[]>> = {
  1: [[0, 0]],
  2: [
    [-0.5, -0.5],
    [0.5, 0.5],
  ],
  3: [
    [-0.5, -0.5],
    [0, 0],
    [0.5, 0.5],
  ],
  4: [
    [-0.5, -0.5],
    [-0.5, 0.5],
    [0.5, -0.5],
    [0.5, 0.5],
  ],
  5: [
    [-0.5, -0.5],
    [-0.5, 0.5],
    [0, 0],
    [0.5, -0.5],
    [0.5, 0.5],
  ],
  6: [
    [-0.5, -0.5],
    [-0.5, 0],
    [-0.5, 0.5],
    [0.5, -0.5],
    [0.5, 0],
    [0.5, 0.5],
  ],
};

/** Triangle wave with period 1, values in [−1, 1]. */
function triangleWave(x: number): number {
  const fractional = x - Math.floor(x);
  return 4 * Math.abs(fractional - 0.5) - 1;
}

/**
 * Albedo of `material` at `hitPoint` on `shape` (before lighting and noise).
 * Wood grain: stripes along world x, gently wavy, ±10 % brightness.
 * Dice pips: dark dots on a box; opposite faces sum to 7 (+z 1, −z 6, +x 2, −x 5, +y 3, −y 4).
 */
export function patternedAlbedo(material: SynthMaterial, shape: Shape, hitPoint: Vec3): RgbBytes {
  const albedo = material.albedo;
  switch (material.pattern) {
    case 'none':
      return albedo;
    case 'wood-grain': {
      const grain = triangleWave(hitPoint.y * 22 + 0.35 * triangleWave(hitPoint.x * 2.7));
      const scale = 1 + 0.1 * grain;
      return [albedo[0] * scale, albedo[1] * scale, albedo[2] * scale];
    }
    case 'dice-pips':
      return shape.kind === 'box' && isOnDicePip(shape, hitPoint) ? DICE_PIP_COLOUR : albedo;
  }
}

function isOnDicePip(box: Extract<Shape, { kind: 'box' }>, hitPoint: Vec3): boolean {
  const local = worldToBoxLocal(box, hitPoint);
  const h = box.halfExtentsMetres;
  const scaled = [local.x / h.x, local.y / h.y, local.z / h.z] as const;
  // The face is the axis where the hit is closest to ±1.
  let faceAxis = 0;
  for (let axis = 1; axis < 3; axis++) {
    if (Math.abs(scaled[axis as 1 | 2]) > Math.abs(scaled[faceAxis as 0 | 1 | 2])) faceAxis = axis;
  }
  const positive = scaled[faceAxis as 0 | 1 | 2] > 0;
  const faceValue = [positive ? 2 : 5, positive ? 3 : 4, positive ? 1 : 6][faceAxis] ?? 1;
  const [a, b] = faceAxis === 0 ? [scaled[1], scaled[2]] : faceAxis === 1 ? [scaled[0], scaled[2]] : [scaled[0], scaled[1]];
  const radiusSquared = DICE_PIP_RADIUS_FRACTION * DICE_PIP_RADIUS_FRACTION;
  return (DICE_PIP_CENTRES[faceValue] ?? []).some(([pipA, pipB]) => (a - pipA) * (a - pipA) + (b - pipB) * (b - pipB) <= radiusSquared);
}
