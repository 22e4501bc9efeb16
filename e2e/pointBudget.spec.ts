import { expect, test } from '@playwright/test';
import { encodePly } from '../src/core/formats/plyEncode.ts';
import { canvasPixels, dropFiles, waitForDrawn, type CanvasPixels } from './helpers.ts';

/**
 * A cloud over 250 k points gets a draw order (the point budget): its GPU copies of positions and
 * colours are written in that order. Drawn at rest, each point must keep its own colour: a floor
 * whose left half is red and right half blue shows one colour per side of the canvas.
 */
const COUNT = 300_000;

function halvesCloud(): Uint8Array {
  const positions = new Float32Array(COUNT * 3);
  const colors = new Uint8Array(COUNT * 3);
  const side = Math.ceil(Math.sqrt(COUNT));
  for (let i = 0; i < COUNT; i++) {
    const x = (i % side) / side - 0.5;
    positions.set([x, 0, Math.floor(i / side) / side + 1], i * 3);
    colors.set(x < 0 ? [230, 20, 20] : [20, 20, 230], i * 3);
  }
  return encodePly({ positions, colors }, 'binary_little_endian');
}

/** Red and blue pixels in the columns [from, to) of the canvas (fractions of its width). */
function redBlue(p: CanvasPixels, from: number, to: number): { red: number; blue: number } {
  let red = 0;
  let blue = 0;
  for (let y = 0; y < p.height; y++) {
    for (let x = Math.floor(from * p.width); x < Math.floor(to * p.width); x++) {
      const o = (y * p.width + x) * 4;
      if (p.rgba[o]! > 150 && p.rgba[o + 2]! < 80) red++;
      if (p.rgba[o + 2]! > 150 && p.rgba[o]! < 80) blue++;
    }
  }
  return { red, blue };
}

test('a cloud drawn in its level-of-detail order keeps every point its own colour', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await waitForDrawn(page);
  await dropFiles(page, [{ name: 'halves.ply', mime: 'application/octet-stream', bytes: halvesCloud() }]);
  await expect(page.getByTestId('point-count')).toHaveText(String(COUNT));
  await waitForDrawn(page);
  const pixels = await canvasPixels(page);
  const left = redBlue(pixels, 0, 0.4);
  const right = redBlue(pixels, 0.6, 1);
  // Whichever way the view faces, each side is one colour (colours in the wrong order would mix them).
  const [redSide, blueSide] = left.red > left.blue ? [left, right] : [right, left];
  expect(redSide.red).toBeGreaterThan(1000);
  expect(blueSide.blue).toBeGreaterThan(1000);
  expect(redSide.blue).toBeLessThan(redSide.red * 0.02);
  expect(blueSide.red).toBeLessThan(blueSide.blue * 0.02);
});
