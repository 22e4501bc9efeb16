/**
 * The point under a double-click's cursor (pickPoint.ts) with the view's current camera, point
 * size and crop; shared by the shown scene and the compared one.
 */
import type { RootState } from '@react-three/fiber';
import * as THREE from 'three';
import { useFieldLens } from '../app/store/store.ts';
import { pickNearestPoint } from './pickPoint.ts';

/** A cursor this close (CSS px) to a small point's centre still picks it. */
const PICK_MIN_RADIUS_PX = 3;

/** The picked point's index and its distance from the camera (metres), or null. */
export function pickAtCursor(
  positions: Float32Array,
  count: number,
  event: MouseEvent,
  canvas: HTMLCanvasElement,
  get: () => RootState,
): { index: number; distance: number } | null {
  const { camera, size } = get();
  const rect = canvas.getBoundingClientRect();
  camera.updateMatrixWorld();
  const viewProjection = new THREE.Matrix4().multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);
  const view = useFieldLens.getState().viewSettings;
  const index = pickNearestPoint(positions, count, {
    viewProjection: viewProjection.elements,
    projectionYScale: camera.projectionMatrix.elements[5],
    width: size.width,
    height: size.height,
    cursor: [event.clientX - rect.left, event.clientY - rect.top],
    size: view.pointSizeMode === 'world' ? { mode: 'world', metres: view.pointSizeMetres } : { mode: 'pixels', pixels: view.pointSizePixels },
    minRadius: PICK_MIN_RADIUS_PX,
    crop: view.cropBox,
  });
  if (index === null) return null;
  const p = camera.position;
  return { index, distance: Math.hypot(positions[3 * index]! - p.x, positions[3 * index + 1]! - p.y, positions[3 * index + 2]! - p.z) };
}
