/**
 * DROP-CLIP's object crops: the bounding box of a segment's mask in a view, padded to a square (so
 * CLIP's centre crop keeps all of it), with every pixel that is not the segment set to white.
 */
import type { RgbRaster } from '../units.ts';
import type { SegmentMasks } from './visibilityMasks.ts';

export interface PixelBox {
  readonly minX: number;
  readonly minY: number;
  /** Inclusive. */
  readonly maxX: number;
  readonly maxY: number;
}

const WHITE = 255;

/** Bounding box of each segment's pixels (null when the segment is not in the view). */
export function segmentBoxes(masks: SegmentMasks, segmentCount: number): (PixelBox | null)[] {
  const box = Array.from({ length: segmentCount }, () => ({ minX: Infinity, minY: Infinity, maxX: -1, maxY: -1 }));
  for (let y = 0; y < masks.height; y++) {
    for (let x = 0; x < masks.width; x++) {
      const s = masks.pixelSegment[y * masks.width + x]!;
      if (s < 0) continue;
      const b = box[s]!;
      if (x < b.minX) b.minX = x;
      if (y < b.minY) b.minY = y;
      if (x > b.maxX) b.maxX = x;
      if (y > b.maxY) b.maxY = y;
    }
  }
  return box.map((b) => (b.maxX < 0 ? null : b));
}

/**
 * The square crop around `box` (side = the longer side of the box, the box centred in it) with all but
 * segment `segment`'s pixels white; parts of the square outside the image are white too.
 */
export function whitenedSquareCrop(color: RgbRaster, masks: SegmentMasks, segment: number, box: PixelBox): RgbRaster {
  const boxWidth = box.maxX - box.minX + 1;
  const boxHeight = box.maxY - box.minY + 1;
  const side = Math.max(boxWidth, boxHeight);
  const left = box.minX - Math.floor((side - boxWidth) / 2);
  const top = box.minY - Math.floor((side - boxHeight) / 2);
  const rgb = new Uint8Array(side * side * 3).fill(WHITE);
  for (let y = 0; y < side; y++) {
    const sy = top + y;
    if (sy < 0 || sy >= masks.height) continue;
    for (let x = 0; x < side; x++) {
      const sx = left + x;
      if (sx < 0 || sx >= masks.width) continue;
      const pixel = sy * masks.width + sx;
      if (masks.pixelSegment[pixel] !== segment) continue;
      rgb[(y * side + x) * 3] = color.rgb[pixel * 3]!;
      rgb[(y * side + x) * 3 + 1] = color.rgb[pixel * 3 + 1]!;
      rgb[(y * side + x) * 3 + 2] = color.rgb[pixel * 3 + 2]!;
    }
  }
  return { width: side, height: side, rgb };
}

/** A plain (not whitened) rectangular crop, for the tile baseline. */
export function cropRaster(color: RgbRaster, left: number, top: number, width: number, height: number): RgbRaster {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    rgb.set(color.rgb.subarray(((top + y) * color.width + left) * 3, ((top + y) * color.width + left + width) * 3), y * width * 3);
  return { width, height, rgb };
}
