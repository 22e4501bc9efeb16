/**
 * What the 3D view asks of the page. Render code reads the store but calls no app action (lint
 * enforces it): App.tsx, which mounts the viewport, passes these in.
 */
import type { CameraPose } from '../app/store/store.ts';
import type { ViewCameraSnapshot } from '../core/render/viewRender.ts';
import type { VoxelRequest } from '../app/store/voxelSlice.ts';

export interface ViewportCallbacks {
  /** A point was double-clicked (its index in the drawn cloud). */
  readonly onPickPoint: (pointIndex: number) => void;
  /** An input camera's thumbnail was clicked. */
  readonly onLookThrough: (cameraIndex: number) => void;
  /** The view now looks through input camera `cameraIndex`, or through none (the user moved it). */
  readonly onLookingThroughChange: (cameraIndex: number | null) => void;
  /** The camera came to rest at a pose (null: back at the framed initial view); the page records it in the URL. */
  readonly onCameraRest: (pose: CameraPose | null) => void;
  /** The viewport can capture itself at `scale` × its pixel ratio; returns the unregister function. */
  readonly onCaptureReady: (capture: (scale: number) => Promise<HTMLCanvasElement>) => () => void;
  readonly onError: (error: unknown) => void;
  /** The view's camera can be read (Render view); returns the unregister function. */
  readonly onViewCameraReady: (read: () => ViewCameraSnapshot) => () => void;
  /** A point of the compared scene (Compare with…) was double-clicked (its index in that scene). */
  readonly onPickComparedPoint: (pointIndex: number) => void;
  /** The voxel view wants the cubes of `request` (computed in the scene worker; they arrive in drawBuffers.voxels). */
  readonly onVoxelsWanted: (request: VoxelRequest) => void;
}
