/**
 * The *Render view* panel's state: its own small store beside useFieldLens (as the segment panel's),
 * small values only. The last render's images live in `renderedBuffers` (sole writer:
 * renderViewActions.ts), replaced, never mutated; `version` moves when they are replaced.
 */
import { create } from 'zustand';
import type { RgbaImage } from '../../core/views/viewImages.ts';

/** The images a render writes, in the order the overlay offers them. */
export const RENDERED_IMAGES = ['rgb', 'depth', 'pca', 'relevancy', 'labels', 'instances'] as const;
export type RenderedImageKind = (typeof RENDERED_IMAGES)[number];

export interface RenderViewState {
  /** Render from the 3D view's camera, or from input camera N. */
  camera: 'view' | number;
  /** Width of a render from the 3D view, pixels (the height follows the view's aspect). */
  viewWidth: number;
  /** Also write the D-channel feature image (`features.npy`). */
  withFeatures: boolean;
  running: boolean;
  /** Bumped when renderedBuffers are replaced. */
  version: number;
  last: {
    readonly camera: string;
    readonly width: number;
    readonly height: number;
    readonly renderMs: number;
    readonly coveredFraction: number;
    readonly files: readonly string[];
  } | null;
  /** The rendered image shown in the overlay, or null (overlay closed). */
  shown: RenderedImageKind | null;
  /** Voxel edge of the occupancy export, metres. */
  voxelMetres: number;
  occupancyRunning: boolean;
  lastOccupancy: { readonly shape: readonly number[]; readonly occupied: number; readonly ms: number } | null;
}

export const useRenderView = create<RenderViewState>()(() => ({
  camera: 'view',
  viewWidth: 640,
  withFeatures: true,
  running: false,
  version: 0,
  last: null,
  shown: null,
  voxelMetres: 0.02,
  occupancyRunning: false,
  lastOccupancy: null,
}));

/** The last render's colour images (depth shown as grey), by kind; empty before the first render. */
export const renderedBuffers: { images: Map<RenderedImageKind, RgbaImage> } = { images: new Map() };
