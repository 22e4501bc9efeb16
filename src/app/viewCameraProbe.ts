/**
 * The 3D view's camera as the page can read it (for *Render view*): the viewport owns the camera,
 * so it registers how to read it (through its `onViewCameraReady` callback, wired in App.tsx).
 */
import type { ViewCameraSnapshot } from '../core/render/viewRender.ts';

export type { ViewCameraSnapshot };

let registered: (() => ViewCameraSnapshot) | null = null;

/** Called (via App.tsx) when the viewport mounts; returns the unregister function for its cleanup. */
export function registerViewCamera(read: () => ViewCameraSnapshot): () => void {
  registered = read;
  return () => {
    if (registered === read) registered = null;
  };
}

export function readViewCamera(): ViewCameraSnapshot {
  if (!registered) throw new Error('render view: the 3D view is not shown yet');
  return registered();
}
