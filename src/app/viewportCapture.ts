/**
 * Captures the 3D view at a higher resolution than it is shown (figure export). The viewport owns
 * the canvas and its pixel ratio, so it registers how to capture (through its `onCaptureReady`
 * callback, wired in App.tsx); exports call captureViewport. Only one capture runs at a time: a
 * second waits for the first.
 */

/** Renders the view at `scale` × its pixel ratio and returns a copy of that frame. */
export type ViewportCapture = (scale: number) => Promise<HTMLCanvasElement>;

let registered: ViewportCapture | null = null;
let running: Promise<unknown> = Promise.resolve();

/** Called (via App.tsx) when the viewport mounts; returns the unregister function for its cleanup. */
export function registerViewportCapture(capture: ViewportCapture): () => void {
  registered = capture;
  return () => {
    if (registered === capture) registered = null;
  };
}

export function captureViewport(scale: number): Promise<HTMLCanvasElement> {
  const capture = registered;
  if (!capture) return Promise.reject(new Error('figure export: the 3D view is not shown yet'));
  const next = running.then(() => capture(scale));
  running = next.catch(() => undefined);
  return next;
}
