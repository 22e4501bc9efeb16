/**
 * The point budget: while the camera moves, a cloud with a draw order (core/lift/drawOrder.ts:
 * its GPU buffers written in that order, whose leading buckets are uniform subsamples) draws only
 * the first `budget` points of that order; once the camera has rested for REST_MS the whole cloud is drawn
 * again (a timer asks for that frame). Motion is read from the camera's matrices at draw time, so
 * every way of moving it (orbit, fly, camera requests, scripts) counts, and a frame drawn twice
 * (the EDL pass) gets the same range both times. Clouds without an order are always drawn whole.
 */
import * as THREE from 'three';
import { budgetPrefix } from '../core/lift/drawOrder.ts';

/** How long the camera must stay still before the full cloud is drawn, ms. */
export const REST_MS = 150;

export class PointBudget {
  private readonly world = new THREE.Matrix4();
  private readonly projection = new THREE.Matrix4();
  private movedAt = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly invalidate: () => void) {}

  /** Sets `geometry`'s draw range for the frame about to be drawn from `camera`. */
  apply(geometry: THREE.BufferGeometry, camera: THREE.Camera, bucketEnds: Uint32Array | null, budget: number): void {
    const now = performance.now();
    if (!this.world.equals(camera.matrixWorld) || !this.projection.equals(camera.projectionMatrix)) {
      this.world.copy(camera.matrixWorld);
      this.projection.copy(camera.projectionMatrix);
      this.movedAt = now;
      if (this.timer !== null) clearTimeout(this.timer);
      // A little past REST_MS, so the frame it asks for finds the camera rested.
      this.timer = setTimeout(() => {
        this.timer = null;
        this.invalidate();
      }, REST_MS + 10);
    }
    const moving = now - this.movedAt < REST_MS;
    geometry.setDrawRange(0, moving && bucketEnds ? budgetPrefix(bucketEnds, budget) : Infinity);
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
