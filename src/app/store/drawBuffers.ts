/**
 * The big typed arrays the page draws, kept OUT of React/zustand state. The store holds only
 * version numbers; components read these when a version moves.
 *
 * Writers: the store's slice actions (sceneSlice.ts and querySlice.ts for the cloud and its
 * results, segmentSlice.ts for segmentBuffers, compareSlice.ts for compareBuffers, renderViewSlice.ts
 * for renderedBuffers, voxelSlice.ts for voxels). Arrays are replaced, never mutated, so a reader
 * that captured one keeps a consistent snapshot.
 */
import type { RgbaImage } from '../../core/views/viewImages.ts';
import type { ColorMode } from '../query/colorModes.ts';
import type { PointSources } from '../../core/views/overlayPoints.ts';
import type { ViewImage } from '../../../workers/scene/protocol.ts';
import type { DisplayVoxels } from '../../core/lift/displayVoxels.ts';
import type { DrawOrder } from '../../core/lift/drawOrder.ts';

export interface CloudBuffers {
  readonly count: number;
  readonly positions: Float32Array;
  readonly colors: Uint8Array;
  /** Which points to draw first while the camera moves (core/lift/drawOrder.ts), or null: always drawn whole. */
  readonly drawOrder: DrawOrder | null;
}

/** Per-point results for `cloud`; every field is null when no result belongs to the current cloud. */
export interface ResultBuffers {
  /** One relevancy layer per positive phrase. */
  layers: Float32Array[];
  /** Label index per point (−1 = background). */
  labels: Int32Array | null;
  /** Instance id per point (−1 = none). */
  instanceIds: Int32Array | null;
  /** PCA of the feature field as RGB. */
  pcaColors: Uint8Array | null;
  /** Similarity of every point to the clicked one. */
  similarity: Float32Array | null;
  /** Per relevancy layer: points per bin of its min–max normalised values (the threshold histogram). */
  histograms: Uint32Array[];
  /** Per-point cosine between two feature sets (teacher vs student). */
  agreement: Float32Array | null;
  /** One query's relevancy on two feature sets, drawn side by side. */
  comparison: { readonly a: Float32Array; readonly b: Float32Array } | null;
}

/** Input-view images of the current scene (thumbnails per camera, full images fetched on demand). */
export interface ViewBuffers {
  /** One small RGBA image per input camera, for the frusta. */
  thumbnails: readonly RgbaImage[];
  /** Per point: input view and depth pixel it came from; null for point-cloud scenes. */
  sources: PointSources | null;
  /** Full-resolution views fetched from the worker, by view index; cleared with the scene. */
  viewImages: Map<number, ViewImage>;
}

/** The voxel view's cubes (computed in the scene worker) and the scene they belong to. */
export interface VoxelBuffers extends DisplayVoxels {
  readonly sceneVersion: number;
}

export const drawBuffers: { cloud: CloudBuffers | null; voxels: VoxelBuffers | null } & ResultBuffers & ViewBuffers = {
  cloud: null,
  voxels: null,
  layers: [],
  labels: null,
  instanceIds: null,
  pcaColors: null,
  similarity: null,
  histograms: [],
  agreement: null,
  comparison: null,
  thumbnails: [],
  sources: null,
  viewImages: new Map(),
};

export function clearResults(): void {
  drawBuffers.layers = [];
  drawBuffers.labels = null;
  drawBuffers.instanceIds = null;
  drawBuffers.pcaColors = null;
  drawBuffers.similarity = null;
  drawBuffers.histograms = [];
  drawBuffers.agreement = null;
  drawBuffers.comparison = null;
}

/** Per-point segment ids of the shown mask or relation result, and the mask scores; null when none is shown. */
export const segmentBuffers: { segmentOfPoint: Int32Array | null; scores: Float32Array | null } = { segmentOfPoint: null, scores: null };

/** The second scene's points (its own frame) and the similarity of each to the picked feature. */
export const compareBuffers: { positions: Float32Array | null; colors: Uint8Array | null; count: number; similarity: Float32Array | null } = {
  positions: null,
  colors: null,
  count: 0,
  similarity: null,
};

/** The images a render writes: colour, depth, and the colour modes the table marks as rendered. */
export type RenderedImageKind = 'rgb' | 'depth' | ColorMode;

/** The last render's colour images (depth shown as grey), by kind; empty before the first render. */
export const renderedBuffers: { images: Map<RenderedImageKind, RgbaImage> } = { images: new Map() };
