import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { repoRoot } from '../../testing/realData.ts';
import { parseSceneDescription } from '../formats/sceneDescription.ts';
import { loadCapture } from '../capture/loadCapture.ts';
import { overlayPointColors } from './overlayPoints.ts';
import { DEFAULT_CAPTURE_SETTINGS } from '../capture/captureSettings.ts';

const grey = (w: number, h: number) => ({ width: w, height: h, rgba: new Uint8ClampedArray(w * h * 4).fill(100) });
const pixelAt = (img: { width: number; rgba: Uint8ClampedArray }, x: number, y: number) => [
  ...img.rgba.slice((y * img.width + x) * 4, (y * img.width + x) * 4 + 3),
];

describe('overlayPointColors', () => {
  // Three points: two of view 1 (pixels 0 and 5 of a 3×2 depth image), one of view 0 (pixel 5).
  const sources = { view: Uint16Array.from([1, 1, 0]), pixel: Uint32Array.from([0, 5, 5]) };
  const colours = Uint8Array.from([255, 0, 0, 0, 0, 200, 0, 255, 0]);

  it('paints only the chosen view’s points at their pixels; other pixels keep the photo', () => {
    const image = grey(3, 2);
    const out = overlayPointColors({ image, depthWidth: 3, depthHeight: 2, viewIndex: 1 }, sources, colours, 1);
    expect(pixelAt(out, 0, 0)).toEqual([255, 0, 0]);
    expect(pixelAt(out, 2, 1)).toEqual([0, 0, 200]);
    expect(pixelAt(out, 1, 0)).toEqual([100, 100, 100]);
    expect(pixelAt(image, 0, 0)).toEqual([100, 100, 100]); // the input is not modified
  });
  it('blends with the opacity', () => {
    const out = overlayPointColors({ image: grey(3, 2), depthWidth: 3, depthHeight: 2, viewIndex: 0 }, sources, colours, 0.5);
    expect(pixelAt(out, 2, 1)).toEqual([50, 178, 50]); // 0.5·(0,255,0) + 0.5·100, rounded by the clamped array
  });
  it('fills the whole block of a colour image twice the depth resolution', () => {
    const out = overlayPointColors({ image: grey(6, 4), depthWidth: 3, depthHeight: 2, viewIndex: 1 }, sources, colours, 1);
    for (const [x, y] of [
      [4, 2],
      [5, 2],
      [4, 3],
      [5, 3],
    ] as const)
      expect(pixelAt(out, x, y)).toEqual([0, 0, 200]);
    expect(pixelAt(out, 3, 2)).toEqual([100, 100, 100]);
  });
});

describe('overlayPointColors on the lifted demo scene', () => {
  it('painting each point’s own colour back through its source reproduces the input image at every pixel with depth', () => {
    const demoDir = join(repoRoot, 'public/demo');
    const scene = parseSceneDescription(readFileSync(join(demoDir, 'scene.json'), 'utf8'), 'scene.json');
    const files = ['scene.json', ...scene.views.flatMap((v) => [v.color, v.depth])].map((name) => ({
      name,
      bytes: new Uint8Array(readFileSync(join(demoDir, name))),
    }));
    const { cloud } = loadCapture(files, DEFAULT_CAPTURE_SETTINGS);
    const view = 2;
    const colour = decode(readFileSync(join(demoDir, scene.views[view]!.color)));
    const depth = decode(readFileSync(join(demoDir, scene.views[view]!.depth)));
    const black = { width: colour.width, height: colour.height, rgba: new Uint8ClampedArray(colour.width * colour.height * 4) };
    const out = overlayPointColors(
      { image: black, depthWidth: depth.width, depthHeight: depth.height, viewIndex: view },
      { view: cloud.viewIndex, pixel: cloud.pixelIndex },
      cloud.colors,
      1,
    );
    let withDepth = 0;
    let mismatches = 0;
    for (let i = 0; i < colour.width * colour.height; i++) {
      if (depth.data[i] !== 0) withDepth++;
      for (let c = 0; c < 3; c++) {
        const expected = depth.data[i] === 0 ? 0 : colour.data[i * colour.channels + c]!;
        if (out.rgba[i * 4 + c] !== expected) mismatches++;
      }
    }
    expect(withDepth).toBeGreaterThan(10_000);
    expect(mismatches).toBe(0);
  });
});
