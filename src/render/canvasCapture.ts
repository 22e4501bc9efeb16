/** Canvas helpers of the figure export (the capture registry itself is src/app/viewportCapture.ts). */

/** A copy of `source`'s pixels (the WebGL canvas keeps its buffer: preserveDrawingBuffer). */
export function copyCanvas(source: HTMLCanvasElement): HTMLCanvasElement {
  const copy = document.createElement('canvas');
  copy.width = source.width;
  copy.height = source.height;
  const context = copy.getContext('2d');
  if (!context) throw new Error('figure export: no 2D canvas context');
  context.drawImage(source, 0, 0);
  return copy;
}
