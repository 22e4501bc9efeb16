/**
 * The one zustand store, composed of typed slices (scene / query / view / jobs). Fields are small
 * values only; big arrays live in drawBuffers and are referenced by version numbers here.
 * Orchestration (workers, file reading) lives in actions.ts, not in the store.
 */
import { create, type StateCreator } from 'zustand';
import type { Bounds3 } from '../../core/lift/pointCloud.ts';
import type { ExecutionBackend } from '../../infer/ortRuntime.ts';
import type { QueryTimings } from '../../infer/sceneEngine.ts';
import type { LoadProgress } from '../../infer/modelLoader.ts';

export interface SceneSlice {
  /** Bumped whenever drawBuffers.cloud is replaced. */
  sceneVersion: number;
  pointCount: number | null;
  liftMs: number | null;
  sceneDescription: string;
  bounds: Bounds3 | null;
  /** Where the viewer starts: the first input camera (row-major camera-to-world) and world up. */
  viewpoint: { cameraToWorld: readonly number[]; up: readonly [number, number, number] } | null;
  /** Depth units per metre for dropped depth images. */
  depthScale: number;
  /** Intrinsics preset used when no intrinsics JSON is dropped ('' = none). */
  intrinsicsPresetId: string;
}

export interface QuerySlice {
  queryText: string;
  /** Bumped whenever drawBuffers.relevancy is replaced (or cleared). */
  queryVersion: number;
  queryRunning: boolean;
  backend: ExecutionBackend | null;
  timings: QueryTimings | null;
  relevancyRange: { min: number; max: number } | null;
  modelProgress: LoadProgress | null;
}

export type ColorMode = 'rgb' | 'relevancy';
export interface ViewSlice {
  colorMode: ColorMode;
}

export interface UserError {
  readonly id: number;
  readonly message: string;
}
export interface JobsSlice {
  busy: string | null;
  errors: readonly UserError[];
}

export type FieldLensState = SceneSlice & QuerySlice & ViewSlice & JobsSlice;

const sceneSlice: StateCreator<FieldLensState, [], [], SceneSlice> = () => ({
  sceneVersion: 0,
  pointCount: null,
  liftMs: null,
  sceneDescription: '',
  bounds: null,
  viewpoint: null,
  depthScale: 1000,
  intrinsicsPresetId: '',
});

const querySlice: StateCreator<FieldLensState, [], [], QuerySlice> = () => ({
  queryText: '',
  queryVersion: 0,
  queryRunning: false,
  backend: null,
  timings: null,
  relevancyRange: null,
  modelProgress: null,
});

const viewSlice: StateCreator<FieldLensState, [], [], ViewSlice> = () => ({ colorMode: 'rgb' });

const jobsSlice: StateCreator<FieldLensState, [], [], JobsSlice> = () => ({ busy: null, errors: [] });

export const useFieldLens = create<FieldLensState>()((...a) => ({
  ...sceneSlice(...a),
  ...querySlice(...a),
  ...viewSlice(...a),
  ...jobsSlice(...a),
}));
