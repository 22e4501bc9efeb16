import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { pickNearestPoint, type PickView } from './pickPoint.ts';

const WIDTH = 800;
const HEIGHT = 600;
const camera = new THREE.PerspectiveCamera(50, WIDTH / HEIGHT, 0.01, 100);
camera.position.set(0.3, 0.4, 2);
camera.lookAt(0, 0, 0);
camera.updateMatrixWorld();
const viewProjection = new THREE.Matrix4().multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);

/** The world point at `distance` metres from the camera along the ray through CSS pixel (x, y) (three's unproject). */
function onRay(x: number, y: number, distance: number): THREE.Vector3 {
  const ndc = new THREE.Vector3((x / WIDTH) * 2 - 1, 1 - (y / HEIGHT) * 2, 0.5).unproject(camera);
  return camera.position.clone().add(ndc.sub(camera.position).normalize().multiplyScalar(distance));
}

function view(cursor: [number, number], extra: Partial<PickView> = {}): PickView {
  return {
    viewProjection: viewProjection.elements,
    projectionYScale: camera.projectionMatrix.elements[5],
    width: WIDTH,
    height: HEIGHT,
    cursor,
    size: { mode: 'pixels', pixels: 2.5 },
    minRadius: 3,
    ...extra,
  };
}

const pack = (points: THREE.Vector3[]) => new Float32Array(points.flatMap((p) => [p.x, p.y, p.z]));

describe('pickNearestPoint', () => {
  const cursor: [number, number] = [420, 250];

  it('of the points under the cursor, picks the nearest — not the last along the ray', () => {
    const points = [onRay(...cursor, 3), onRay(...cursor, 1.2), onRay(...cursor, 2), onRay(cursor[0] + 20, cursor[1], 0.5)];
    expect(pickNearestPoint(pack(points), points.length, view(cursor))).toBe(1);
  });

  it('a nearer point 20 px aside is not under the cursor; a point 2 px aside is (minimum radius 3 px)', () => {
    const aside = [onRay(cursor[0] + 20, cursor[1], 0.5), onRay(cursor[0], cursor[1] + 2, 2.5)];
    expect(pickNearestPoint(pack(aside), 2, view(cursor))).toBe(1);
    expect(pickNearestPoint(pack([onRay(cursor[0] + 20, cursor[1], 0.5)]), 1, view(cursor))).toBeNull();
  });

  it('world-size points cover the cursor by their projected diameter', () => {
    const point = [onRay(cursor[0] + 10, cursor[1], 1)];
    // A 5 cm sphere 1 m away spans 0.05 · f px with f = (HEIGHT / 2) / tan(25°) ≈ 643 px: ~32 px across, 10 px off is inside.
    expect(pickNearestPoint(pack(point), 1, view(cursor, { size: { mode: 'world', metres: 0.05 } }))).toBe(0);
    // A 1 cm one spans ~6 px: 10 px off is outside.
    expect(pickNearestPoint(pack(point), 1, view(cursor, { size: { mode: 'world', metres: 0.01 } }))).toBeNull();
  });

  it('skips points outside the crop box and behind the camera', () => {
    const near = onRay(...cursor, 1);
    const far = onRay(...cursor, 2);
    const behind = camera.position.clone().multiplyScalar(2).sub(near); // mirrored through the camera centre
    const crop = { min: [far.x - 0.01, far.y - 0.01, far.z - 0.01], max: [far.x + 0.01, far.y + 0.01, far.z + 0.01] };
    expect(pickNearestPoint(pack([near, far]), 2, view(cursor, { crop }))).toBe(1);
    expect(pickNearestPoint(pack([behind]), 1, view(cursor))).toBeNull();
  });
});
