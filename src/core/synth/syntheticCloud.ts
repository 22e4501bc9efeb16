/**
 * A procedural cloud of any size with a result for every colour mode, for the render benchmark:
 * n points on a 2 m × 2 m floor and four spheres, a relevancy field peaking on one sphere, labels
 * and instances = which sphere, PCA colours and a similarity field. Deterministic (seeded).
 */
import { mulberry32 } from './prng.ts';

export interface SyntheticCloud {
  readonly count: number;
  /** xyz metres, y up. */
  readonly positions: Float32Array;
  readonly colors: Uint8Array;
  readonly relevancy: Float32Array;
  /** Sphere index per point, −1 on the floor. */
  readonly labels: Int32Array;
  readonly labelNames: readonly string[];
  readonly pcaColors: Uint8Array;
  readonly similarity: Float32Array;
}

const SPHERES = [
  { name: 'red ball', centre: [-0.5, 0.2, -0.4], radius: 0.2, rgb: [200, 40, 40] },
  { name: 'yellow ball', centre: [0.4, 0.15, -0.3], radius: 0.15, rgb: [230, 200, 40] },
  { name: 'blue ball', centre: [0.1, 0.25, 0.5], radius: 0.25, rgb: [40, 80, 210] },
  { name: 'green ball', centre: [-0.6, 0.1, 0.5], radius: 0.1, rgb: [50, 170, 70] },
] as const;

export function syntheticCloud(count: number, seed = 1): SyntheticCloud {
  if (!Number.isInteger(count) || count < 1) throw new Error(`syntheticCloud: count must be a positive integer, got ${count}`);
  const random = mulberry32(seed);
  const positions = new Float32Array(count * 3);
  const colors = new Uint8Array(count * 3);
  const relevancy = new Float32Array(count);
  const labels = new Int32Array(count).fill(-1);
  const pcaColors = new Uint8Array(count * 3);
  const similarity = new Float32Array(count);
  const target = SPHERES[1].centre;
  for (let i = 0; i < count; i++) {
    // Half the points on the floor, the rest on the spheres' surfaces.
    const s = i % 2 === 0 ? -1 : Math.floor(random() * SPHERES.length);
    let x: number, y: number, z: number;
    let rgb: readonly number[];
    if (s < 0) {
      x = random() * 2 - 1;
      y = 0;
      z = random() * 2 - 1;
      const wood = 120 + 40 * Math.sin(x * 40);
      rgb = [wood, wood * 0.7, wood * 0.4];
    } else {
      const sphere = SPHERES[s]!;
      const u = random() * 2 - 1;
      const phi = random() * 2 * Math.PI;
      const r = Math.sqrt(1 - u * u);
      x = sphere.centre[0] + sphere.radius * r * Math.cos(phi);
      y = sphere.centre[1] + sphere.radius * u;
      z = sphere.centre[2] + sphere.radius * r * Math.sin(phi);
      rgb = sphere.rgb;
      labels[i] = s;
    }
    positions.set([x, y, z], i * 3);
    colors.set(
      rgb.map((c) => Math.max(0, Math.min(255, Math.round(c * (0.85 + 0.15 * random()))))),
      i * 3,
    );
    const d = Math.hypot(x - target[0], y - target[1], z - target[2]);
    relevancy[i] = 0.3 * Math.exp(-4 * d * d);
    similarity[i] = 1 - Math.min(1, d);
    pcaColors.set([Math.round((x + 1) * 127.5), Math.round(y * 255), Math.round((z + 1) * 127.5)], i * 3);
  }
  return { count, positions, colors, relevancy, labels, labelNames: SPHERES.map((s) => s.name), pcaColors, similarity };
}
