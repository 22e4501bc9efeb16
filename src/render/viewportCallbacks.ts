/**
 * What the 3D view asks of the page. Render code reads the store but calls no app action (lint
 * enforces it): App.tsx, which mounts the viewport, passes these in.
 */
export interface ViewportCallbacks {
  /** A point was double-clicked (its index in the drawn cloud). */
  readonly onPickPoint: (pointIndex: number) => void;
  /** An input camera's thumbnail was clicked. */
  readonly onLookThrough: (cameraIndex: number) => void;
  /** The view now looks through input camera `cameraIndex`, or through none (the user moved it). */
  readonly onLookingThroughChange: (cameraIndex: number | null) => void;
  readonly onError: (error: unknown) => void;
}
