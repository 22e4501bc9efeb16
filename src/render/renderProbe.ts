/**
 * Render measurements for scripts and the render benchmark, registered by FrameProbe (inside the
 * Canvas, where the renderer lives) and read by window.fieldlens.
 */
export interface RenderStats {
  /** three.js renderer.info.memory. */
  readonly geometries: number;
  readonly textures: number;
  /** Bytes of every buffer attribute drawn (what sits in GPU buffers). */
  readonly geometryBytes: number;
  /** Of the last frame. */
  readonly drawCalls: number;
  readonly points: number;
  readonly canvas: { readonly width: number; readonly height: number };
}

export interface RenderProbe {
  /**
   * Renders `frames` frames back to back (each finished on the GPU); mean milliseconds per frame.
   * With `orbitDegreesPerFrame` the camera turns that much per frame (it moves: the point budget
   * applies) and returns to where it was.
   */
  renderFrames(frames: number, orbitDegreesPerFrame?: number): number;
  stats(): RenderStats;
}

export const renderProbe: { current: RenderProbe | null } = { current: null };
