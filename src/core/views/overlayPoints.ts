/**
 * Draws per-point colours (a heatmap, labels…) back onto an input view's pixels through the
 * point → pixel map kept from lifting. Pixels no point came from keep the photo.
 */
import type { RgbaImage } from './viewImages.ts';

/** Where each point came from: its input view and the row-major pixel index in that view's DEPTH image. */
export interface PointSources {
  readonly view: Uint16Array;
  readonly pixel: Uint32Array;
}

export interface OverlayTarget {
  /** The view's colour image (the result has its size). */
  readonly image: RgbaImage;
  /** Size of the depth image the pixel indices refer to (may differ from the colour image's). */
  readonly depthWidth: number;
  readonly depthHeight: number;
  readonly viewIndex: number;
}

/**
 * A copy of `target.image` with every point of view `viewIndex` painted in its colour
 * (`pointColors`, rgb per point), blended with `opacity` (1 = the point colour only). A depth pixel
 * covers the block of colour pixels whose centres fall inside it, so colour images at another
 * resolution of the same aspect ratio are painted completely.
 */
export function overlayPointColors(target: OverlayTarget, sources: PointSources, pointColors: Uint8Array, opacity: number): RgbaImage {
  const { image, depthWidth, depthHeight, viewIndex } = target;
  const out = new Uint8ClampedArray(image.rgba);
  // Colour-pixel span [start, end) of each depth column / row.
  const colStart = Int32Array.from({ length: depthWidth + 1 }, (_, u) => Math.round((u * image.width) / depthWidth));
  const rowStart = Int32Array.from({ length: depthHeight + 1 }, (_, v) => Math.round((v * image.height) / depthHeight));
  const keep = 1 - opacity;
  for (let i = 0; i < sources.view.length; i++) {
    if (sources.view[i] !== viewIndex) continue;
    const pixel = sources.pixel[i]!;
    const u = pixel % depthWidth;
    const v = (pixel - u) / depthWidth;
    if (v >= depthHeight) continue;
    const r = pointColors[i * 3]! * opacity;
    const g = pointColors[i * 3 + 1]! * opacity;
    const b = pointColors[i * 3 + 2]! * opacity;
    for (let y = rowStart[v]!; y < rowStart[v + 1]!; y++) {
      for (let x = colStart[u]!; x < colStart[u + 1]!; x++) {
        const o = (y * image.width + x) * 4;
        out[o] = r + out[o]! * keep;
        out[o + 1] = g + out[o + 1]! * keep;
        out[o + 2] = b + out[o + 2]! * keep;
      }
    }
  }
  return { width: image.width, height: image.height, rgba: out };
}
