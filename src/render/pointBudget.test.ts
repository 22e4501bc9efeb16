import { afterEach, describe, expect, it, vi } from 'vitest';
import * as THREE from 'three';
import { PointBudget, REST_MS } from './pointBudget.ts';

describe('the point budget', () => {
  afterEach(() => vi.useRealTimers());

  it('draws a budget-sized prefix while the camera moves and everything once it has rested, asking for that frame', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const invalidate = vi.fn();
    const budget = new PointBudget(invalidate);
    const geometry = new THREE.BufferGeometry();
    const camera = new THREE.PerspectiveCamera();
    const ends = new Uint32Array([100, 210, 300]);
    budget.apply(geometry, camera, ends, 250);
    // The first frame counts as a move (nothing was drawn from this camera before).
    expect(geometry.drawRange.count).toBe(210);
    camera.position.x = 1;
    camera.updateMatrixWorld();
    vi.advanceTimersByTime(REST_MS - 1);
    budget.apply(geometry, camera, ends, 250);
    expect(geometry.drawRange.count).toBe(210);
    expect(invalidate).not.toHaveBeenCalled();
    vi.advanceTimersByTime(REST_MS + 10);
    expect(invalidate).toHaveBeenCalledTimes(1);
    budget.apply(geometry, camera, ends, 250);
    expect(geometry.drawRange.count).toBe(Infinity);
    budget.dispose();
  });

  it('always draws a cloud without a draw order whole', () => {
    const geometry = new THREE.BufferGeometry();
    const budget = new PointBudget(() => undefined);
    budget.apply(geometry, new THREE.PerspectiveCamera(), null, 250);
    expect(geometry.drawRange.count).toBe(Infinity);
    budget.dispose();
  });
});
