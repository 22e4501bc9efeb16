/**
 * The one zustand store, bound from slices (zustand's slices pattern). Each slice file holds its
 * state, its initial values and its actions; the actions are module functions that read and write
 * this store (zustand's "no store actions" practice), so the render layer can read every slice while
 * lint keeps it from importing an action. Fields are small values only; big arrays live in
 * drawBuffers and are referenced by version numbers here. Subscriptions start in init.ts.
 *
 * The slice files import this module and this module calls their creators while it runs: the
 * creators are function declarations (hoisted), so whichever module of the cycle is imported first,
 * they exist when `create` calls them (store.test.ts imports each slice first to prove it).
 */
import { create } from 'zustand';
import { createCaptureSettingsSlice, type CaptureSettingsSlice } from './captureSettingsSlice.ts';
import { createCompareSlice, type CompareSlice } from './compareSlice.ts';
import { createFeaturesSlice, type FeaturesSlice } from './featuresSlice.ts';
import { createJobsSlice, type JobsSlice } from './jobsSlice.ts';
import { createModelSetSlice, type ModelSetSlice } from './modelSetSlice.ts';
import { createPanelSlice, type PanelSlice } from './panelSlice.ts';
import { createPruneSlice, type PruneSlice } from './pruneSlice.ts';
import { createQuerySlice, type QuerySlice } from './querySlice.ts';
import { createRenderViewSlice, type RenderViewSlice } from './renderViewSlice.ts';
import { createSceneSlice, type SceneSlice } from './sceneSlice.ts';
import { createSegmentSlice, type SegmentSlice } from './segmentSlice.ts';
import { createTeacherSlice, type TeacherSlice } from './teacherSlice.ts';
import { createViewSlice, type ViewSlice } from './viewSlice.ts';
import { createVoxelSlice, type VoxelSlice } from './voxelSlice.ts';

export type FieldLensState = SceneSlice &
  CaptureSettingsSlice &
  QuerySlice &
  ViewSlice &
  JobsSlice &
  PanelSlice &
  TeacherSlice &
  SegmentSlice &
  ModelSetSlice &
  CompareSlice &
  RenderViewSlice &
  FeaturesSlice &
  VoxelSlice &
  PruneSlice;

export const useFieldLens = create<FieldLensState>()(() => ({
  ...createSceneSlice(),
  ...createCaptureSettingsSlice(),
  ...createQuerySlice(),
  ...createViewSlice(),
  ...createJobsSlice(),
  ...createPanelSlice(),
  ...createTeacherSlice(),
  ...createSegmentSlice(),
  ...createModelSetSlice(),
  ...createCompareSlice(),
  ...createRenderViewSlice(),
  ...createFeaturesSlice(),
  ...createVoxelSlice(),
  ...createPruneSlice(),
}));

export type { ColorMode } from '../query/colorModes.ts';
export type { CameraPose, CameraRequest } from './viewSlice.ts';
