import { describe, expect, it } from 'vitest';
import { cameraFocus, clearStartDirection, detectUpAxis, fitBox, focusDirection, framedView, implausibleExtent, robustBounds } from './framing.ts';

function cloud(points: readonly (readonly [number, number, number])[]): Float32Array {
  return Float32Array.from(points.flat());
}

/** A 30 × 30 grid on [0, 2]² at height 0 (900 points) plus 200 points 0.05–0.25 above it in a 0.4 m square. */
function floorWithObjects(axis: 'y' | 'z', flip: boolean): Float32Array {
  const points: [number, number, number][] = [];
  const place = (a: number, b: number, h: number): [number, number, number] => {
    const height = flip ? -h : h;
    return axis === 'z' ? [a, b, height] : [a, height, b];
  };
  for (let i = 0; i < 30; i++) for (let j = 0; j < 30; j++) points.push(place((2 * i) / 29, (2 * j) / 29, 0));
  for (let k = 0; k < 200; k++) points.push(place(0.8 + (k % 10) * 0.04, 0.8 + Math.floor(k / 10) * 0.02, 0.05 + (k % 7) * 0.03));
  return cloud(points);
}

describe('robustBounds', () => {
  it('takes the 1st and 99th percentile and the median per axis, ignoring one far outlier', () => {
    // x = 0..99 plus one point at 10⁶; y = 2x; z = 5. n = 101, so q01 = sorted[1], q99 = sorted[99], median = sorted[50].
    const points: [number, number, number][] = [];
    for (let i = 0; i < 100; i++) points.push([i, 2 * i, 5]);
    points.push([1e6, 1e6, 5]);
    const b = robustBounds(cloud(points), 101);
    expect(b.min).toEqual([1, 2, 5]);
    expect(b.max).toEqual([99, 198, 5]);
    expect(b.centroid).toEqual([50, 100, 5]);
  });

  it('skips non-finite coordinates', () => {
    const b = robustBounds(
      cloud([
        [0, 0, 0],
        [NaN, 1, 1],
        [2, 2, 2],
      ]),
      3,
      { low: 0, high: 1 },
    );
    expect(b.min).toEqual([0, 0, 0]);
    expect(b.max).toEqual([2, 2, 2]);
  });
});

describe('detectUpAxis', () => {
  it('finds +z for a floor with objects above it, −z when flipped', () => {
    expect(detectUpAxis(floorWithObjects('z', false), 1100).axis).toBe('z');
    expect(detectUpAxis(floorWithObjects('z', true), 1100).axis).toBe('-z');
  });

  it('finds +y and −y the same way', () => {
    expect(detectUpAxis(floorWithObjects('y', false), 1100).axis).toBe('y');
    expect(detectUpAxis(floorWithObjects('y', true), 1100).axis).toBe('-y');
  });

  it('falls back to −y (camera convention) without an axis-aligned support plane', () => {
    // Points on a sphere: no plane holds 15 % of them.
    const points: [number, number, number][] = [];
    for (let i = 0; i < 2000; i++) {
      const t = Math.acos(1 - (2 * (i + 0.5)) / 2000);
      const p = i * 2.399963;
      points.push([Math.sin(t) * Math.cos(p), Math.sin(t) * Math.sin(p), Math.cos(t)]);
    }
    const detected = detectUpAxis(cloud(points), 2000);
    expect(detected.axis).toBe('-y');
    expect(detected.reason).toMatch(/camera convention/);
  });

  /** A grid of `n` × `n` points spanning [a0, a1] × [b0, b1], placed by `at`. */
  function grid(n: number, [a0, a1]: [number, number], [b0, b1]: [number, number], at: (a: number, b: number) => [number, number, number]) {
    const points: [number, number, number][] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) points.push(at(a0 + ((a1 - a0) * i) / (n - 1), b0 + ((b1 - b0) * j) / (n - 1)));
    return points;
  }

  it('finds −y for a floor with objects seen by an RGB-D camera 1.2 m above it (camera frame, y down)', () => {
    // Floor at y = +1.2 (below the camera), x ∈ [−2, 2], z ∈ [1, 5]; a box 0.3–0.5 m tall standing on it.
    const floor = grid(40, [-2, 2], [1, 5], (x, z) => [x, 1.2, z]);
    const box = grid(15, [-0.3, 0.3], [0.7, 1.1], (x, y) => [x, y, 3]);
    const points = [...floor, ...box];
    const detected = detectUpAxis(cloud(points), points.length);
    expect(detected).toEqual({ axis: '-y', reason: 'floor-like support plane under the points' });
  });

  it('finds +z for a z-up room centred on the origin (floor at z = −1, a table and a 2 m cupboard on it)', () => {
    const floor = grid(40, [-2, 2], [-2, 2], (x, y) => [x, y, -1]);
    const table = grid(15, [-0.5, 0.5], [-0.3, 0.3], (x, y) => [x, y, -0.25]);
    const cupboard = grid(15, [-1, 1], [-0.9, 1], (y, z) => [1.8, y, z]);
    const points = [...floor, ...table, ...cupboard];
    expect(detectUpAxis(cloud(points), points.length).axis).toBe('z');
  });

  it('keeps −y for a wall with a picture and a chair in front of it, facing an RGB-D camera (camera frame)', () => {
    // Wall at z = 3 (x ∈ [−1.5, 1.5], y ∈ [−1, 1]); the picture hangs 10 cm in front of it, the chair
    // stands 0.4–1 m in front: every off-wall point is between the wall and the camera at the origin.
    const wall = grid(40, [-1.5, 1.5], [-1, 1], (x, y) => [x, y, 3]);
    const picture = grid(12, [-0.4, 0.4], [-0.6, -0.1], (x, y) => [x, y, 2.9]);
    const chair = grid(12, [0.5, 1], [2, 2.6], (x, z) => [x, 0.5, z]);
    const points = [...wall, ...picture, ...chair];
    const detected = detectUpAxis(cloud(points), points.length);
    expect(detected.axis).toBe('-y');
    expect(detected.reason).toMatch(/wall/);
  });

  it('keeps −y when the plane spans under a small part of the cloud (a shelf, not a floor)', () => {
    // A dense 0.5 m shelf at y = 0 under a sparse 4 m wide cloud above it.
    const shelf = grid(40, [0, 0.5], [0, 0.5], (x, z) => [x, 0, z]);
    const scatter = grid(25, [-2, 2], [-2, 2], (x, z) => [x, -1 - 0.3 * Math.sin(3 * x + 5 * z), z]);
    const points = [...shelf, ...scatter];
    const detected = detectUpAxis(cloud(points), points.length);
    expect(detected.axis).toBe('-y');
    expect(detected.reason).toMatch(/no floor-like support plane/);
  });

  it('ignores a plane tilted 45° between y and z', () => {
    const points: [number, number, number][] = [];
    for (let i = 0; i < 40; i++) for (let j = 0; j < 40; j++) points.push([i / 20, j / 20, j / 20]);
    expect(detectUpAxis(cloud(points), 1600).axis).toBe('-y');
  });
});

describe('framedView', () => {
  it('looks at the box centre from above at 30°, far enough back for the sphere to fit', () => {
    // Box [−1, 1]³: radius √3; fov 60°, aspect 2 → half-angle 30°, distance √3 / sin 30° = 2√3.
    const view = framedView({ min: [-1, -1, -1], max: [1, 1, 1] }, [0, 0, 1], [1, 0, 0], 2, 60);
    const d = 2 * Math.sqrt(3);
    expect(view.distance).toBeCloseTo(d, 9);
    expect(view.target).toEqual([0, 0, 0]);
    // Eye = −d·(cos 30°, 0, −sin 30°) = (−d·√3/2, 0, d/2).
    expect(view.position[0]).toBeCloseTo((-d * Math.sqrt(3)) / 2, 9);
    expect(view.position[1]).toBeCloseTo(0, 9);
    expect(view.position[2]).toBeCloseTo(d / 2, 9);
  });

  it('uses a fixed horizontal direction when the hint points straight down', () => {
    const view = framedView({ min: [0, 0, 0], max: [2, 2, 2] }, [0, 0, 1], [0, 0, -1], 1, 60);
    expect(view.position[2]).toBeGreaterThan(1); // still above the centre
    expect(Number.isFinite(view.position[0] + view.position[1])).toBe(true);
  });
});

describe('focusDirection', () => {
  it('keeps a steep downward look as it is', () => {
    const look: [number, number, number] = [0, Math.cos(1), -Math.sin(1)];
    const d = focusDirection(look, [0, 0, 1]);
    expect(d[1]).toBeCloseTo(look[1], 9);
    expect(d[2]).toBeCloseTo(look[2], 9);
  });

  it('tilts a level look down to 20°, keeping its heading', () => {
    const d = focusDirection([1, 0, 0], [0, 0, 1]);
    expect(d[0]).toBeCloseTo(Math.cos((20 * Math.PI) / 180), 9);
    expect(d[2]).toBeCloseTo(-Math.sin((20 * Math.PI) / 180), 9);
  });

  it('keeps a view from below below (the same side of the up axis)', () => {
    const d = focusDirection([1, 0, 0.1], [0, 0, 1]);
    expect(d[2]).toBeCloseTo(Math.sin((20 * Math.PI) / 180), 9);
  });
});

describe('implausibleExtent', () => {
  it('offers mm → m and cm → m above 200 m, nothing for a room, scales up below 1 cm', () => {
    expect(implausibleExtent({ min: [0, 0, 0], max: [3000, 10, 10] })?.scales.map((s) => s.factor)).toEqual([0.001, 0.01]);
    expect(implausibleExtent({ min: [0, 0, 0], max: [5, 3, 2.5] })).toBeNull();
    expect(implausibleExtent({ min: [0, 0, 0], max: [0.005, 0.004, 0.001] })?.message).toMatch(/small/);
  });
});

describe('clearStartDirection', () => {
  it('keeps the hint when no camera stands behind the eye', () => {
    // Looking along +x from the eye at −x of the target; the only camera is at +y (90° away).
    const d = clearStartDirection([1, 0, -0.5], [0, 0, 1], [0, 0, 0], [[0, 3, 1]]);
    expect(d[0]).toBeCloseTo(1, 12);
    expect(d[1]).toBeCloseTo(0, 12);
    expect(d[2]).toBeCloseTo(0, 12);
  });

  it('turns 45° between four cameras around the scene, away from the one looked past', () => {
    // Cameras at ±x, ±y looking in; the hint is camera (−2, 0)'s direction +x, so its eye would be behind it.
    const d = clearStartDirection(
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
      [
        [-2, 0, 1],
        [2, 0, 1],
        [0, -2, 1],
        [0, 2, 1],
      ],
    );
    // The first clear turn (clearance 45° from its neighbours; ±30° clears by only 30°) in the order 0, ±15°, ±30°, ±45°: +45° about +z.
    expect(d[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(d[1]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(d[2]).toBeCloseTo(0, 12);
  });
});

describe('fitBox', () => {
  it('grows the full box to hold the camera centres', () => {
    expect(
      fitBox({ min: [0, 0, 0], max: [1, 2, 3] }, [
        [-1, 1, 5],
        [0.5, 7, 1],
      ]),
    ).toEqual({ min: [-1, 0, 0], max: [1, 7, 5] });
  });
});

describe('cameraFocus', () => {
  it('finds the point two cameras look at, and their median distance from it', () => {
    // Cameras at (2, 0, 0) and (0, 0, 2) looking at the origin: the axes meet there, both 2 m away.
    const focus = cameraFocus([
      { centre: [2, 0, 0], forward: [-1, 0, 0] },
      { centre: [0, 0, 2], forward: [0, 0, -1] },
    ]);
    expect(focus).not.toBeNull();
    for (const v of focus!.target) expect(v).toBeCloseTo(0, 9);
    expect(focus!.distance).toBeCloseTo(2, 9);
  });

  it('takes the least-squares point for skew axes: the midpoint of their common perpendicular', () => {
    // Axis 1 along −x through (3, 0, 0); axis 2 along −z through (0, 1, 3) (1 m above): nearest points (0,0,0) and (0,1,0).
    const focus = cameraFocus([
      { centre: [3, 0, 0], forward: [-1, 0, 0] },
      { centre: [0, 1, 3], forward: [0, 0, -1] },
    ])!;
    expect(focus.target[0]).toBeCloseTo(0, 9);
    expect(focus.target[1]).toBeCloseTo(0.5, 9);
    expect(focus.target[2]).toBeCloseTo(0, 9);
    // Distances: hypot(3, 0.5) and hypot(3, 0.5): median √9.25.
    expect(focus.distance).toBeCloseTo(Math.sqrt(9.25), 9);
  });

  it('is null for one camera, parallel axes, or a point behind a camera', () => {
    expect(cameraFocus([{ centre: [0, 0, 0], forward: [0, 0, 1] }])).toBeNull();
    expect(
      cameraFocus([
        { centre: [0, 0, 0], forward: [0, 0, 1] },
        { centre: [1, 0, 0], forward: [0, 0, 1] },
      ]),
    ).toBeNull();
    expect(
      cameraFocus([
        { centre: [2, 0, 0], forward: [1, 0, 0] },
        { centre: [0, 0, 2], forward: [0, 0, -1] },
      ]),
    ).toBeNull();
  });
});
