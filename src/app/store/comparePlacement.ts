/**
 * Where the second scene of *Compare with…* is drawn: pure, read by the compare panel and the 3D
 * view alike.
 */
import type { Bounds3 } from '../../core/lift/pointCloud.ts';
import type { ComparePanelState } from './compareSlice.ts';

/** Offset (metres) added to the second scene's points where it is drawn. */
export function compareOffset(state: Pick<ComparePanelState, 'placement' | 'overlayOffset' | 'bounds'>, mainBounds: Bounds3 | null): [number, number, number] {
  if (state.placement === 'overlay' || !state.bounds || !mainBounds) return [...state.overlayOffset];
  // Beside the first scene along x, with a gap of a fifth of the wider box.
  const gap = 0.2 * Math.max(mainBounds.max[0] - mainBounds.min[0], state.bounds.max[0] - state.bounds.min[0]);
  return [mainBounds.max[0] - state.bounds.min[0] + gap, 0, 0];
}
