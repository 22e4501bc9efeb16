/**
 * *Compare with…*: the second scene's state, its own small store beside useFieldLens. Small values
 * only; its points and similarity live in `compareBuffers` (sole writer: compareActions.ts),
 * replaced, never mutated; `version` moves when they are replaced. Features stay in the worker.
 */
import { create } from 'zustand';
import type { Bounds3 } from '../../core/lift/pointCloud.ts';
import type { CompareSide } from '../../../workers/scene/studioViewProtocol.ts';

export interface ShownMatch {
  readonly index: number;
  readonly similarity: number;
  /** Metres, in the matched scene's own world frame (as listed). */
  readonly position: readonly [number, number, number];
}

export interface ComparePanelState {
  /** The compared scene's name, or null when none is open. */
  name: string | null;
  description: string;
  pointCount: number;
  bounds: Bounds3 | null;
  featureDim: number;
  featureSpace: string;
  /** Where the second scene is drawn: beside the first (offset along x past its box) or over it with `offset`. */
  placement: 'side-by-side' | 'overlay';
  /** Offset added to the second scene's points in the overlay placement, metres. */
  overlayOffset: readonly [number, number, number];
  /** Matches listed per double-click. */
  k: number;
  loading: boolean;
  matching: boolean;
  /** Bumped when compareBuffers change (points or similarity). */
  version: number;
  /** The double-clicked point, in its own scene's frame. */
  seed: { readonly side: CompareSide; readonly index: number; readonly position: readonly [number, number, number] } | null;
  matches: readonly ShownMatch[];
  matchMs: number | null;
  /** Shared colour scale of both scenes' similarities. */
  range: { readonly min: number; readonly max: number } | null;
}

export const NO_COMPARE_RESULT = { seed: null, matches: [], matchMs: null, range: null } as const satisfies Partial<ComparePanelState>;

export const useCompare = create<ComparePanelState>()(() => ({
  name: null,
  description: '',
  pointCount: 0,
  bounds: null,
  featureDim: 0,
  featureSpace: '',
  placement: 'side-by-side',
  overlayOffset: [0, 0, 0.3],
  k: 5,
  loading: false,
  matching: false,
  version: 0,
  ...NO_COMPARE_RESULT,
}));

/** The second scene's points (its own frame) and the similarity of each to the picked feature. */
export const compareBuffers: { positions: Float32Array | null; colors: Uint8Array | null; count: number; similarity: Float32Array | null } = {
  positions: null,
  colors: null,
  count: 0,
  similarity: null,
};

/** Offset (metres) added to the second scene's points where it is drawn. */
export function compareOffset(state: Pick<ComparePanelState, 'placement' | 'overlayOffset' | 'bounds'>, mainBounds: Bounds3 | null): [number, number, number] {
  if (state.placement === 'overlay' || !state.bounds || !mainBounds) return [...state.overlayOffset];
  // Beside the first scene along x, with a gap of a fifth of the wider box.
  const gap = 0.2 * Math.max(mainBounds.max[0] - mainBounds.min[0], state.bounds.max[0] - state.bounds.min[0]);
  return [mainBounds.max[0] - state.bounds.min[0] + gap, 0, 0];
}
