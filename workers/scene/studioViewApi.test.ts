/**
 * The worker's view calls on a session holding the demo scene (no browser, no models): a render
 * from input camera 0 with the splat size the worker estimates reproduces that camera's own colour
 * and depth images (read independently from the demo files), and the occupancy grid marks exactly
 * the voxels that hold points (counted here from the positions).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPTURE_SETTINGS } from '../../src/core/capture/captureSettings.ts';
import { repoRoot } from '../../src/node/repoPaths.ts';
import { SceneSession } from './session.ts';
import { studioViewApi } from './studioViewApi.ts';

const demoDir = join(repoRoot, 'public/demo');
const scene = JSON.parse(readFileSync(join(demoDir, 'scene.json'), 'utf8')) as {
  views: { intrinsics: { width: number; height: number; fx: number; fy: number; cx: number; cy: number }; cameraToWorld: number[] }[];
};
const names = ['scene.json', ...[0, 1, 2, 3].flatMap((v) => [`view${v}_color.png`, `view${v}_depth.png`])];

function demoSession(): SceneSession {
  const session = new SceneSession({ manifestUrl: 'http://127.0.0.1:9/models/manifest.json', backend: 'wasm' });
  session.lift(
    names.map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(demoDir, name))) })),
    DEFAULT_CAPTURE_SETTINGS,
  );
  return session;
}

describe('studio view calls', () => {
  it('renders input camera 0 back: coverage ≥ 95 %, colour MAD ≤ 8/255, depth median error ≤ 5 mm', async () => {
    const api = studioViewApi(demoSession);
    const view = await api.renderView({ camera: scene.views[0]!, features: false });
    const depth = decode(readFileSync(join(demoDir, 'view0_depth.png')));
    const colour = decode(readFileSync(join(demoDir, 'view0_color.png')));
    let valid = 0,
      covered = 0,
      colourSum = 0;
    const errorsMm: number[] = [];
    for (let k = 0; k < view.width * view.height; k++) {
      const mm = depth.data[k] as number;
      if (mm === 0) continue;
      valid++;
      if (view.depthMetres[k]! <= 0) continue;
      covered++;
      errorsMm.push(Math.abs(view.depthMetres[k]! * 1000 - mm));
      for (let c = 0; c < 3; c++) colourSum += Math.abs(view.rgb[3 * k + c]! - (colour.data[k * colour.channels + c] as number));
    }
    errorsMm.sort((a, b) => a - b);
    const coverage = covered / valid;
    const mad = colourSum / (3 * covered);
    const medianMm = errorsMm[Math.floor(errorsMm.length / 2)]!;
    console.log(
      `studio render of demo cam0 (splat ${(view.pointSpacingMetres * 1000).toFixed(2)} mm): coverage ${(coverage * 100).toFixed(2)} %, colour MAD ${mad.toFixed(2)}/255, depth median ${medianMm.toFixed(2)} mm, ${view.renderMs.toFixed(0)} ms`,
    );
    expect(view.pointSpacingMetres).toBeGreaterThan(0);
    expect(coverage).toBeGreaterThanOrEqual(0.95);
    expect(mad).toBeLessThanOrEqual(8);
    expect(medianMm).toBeLessThanOrEqual(5);
    expect(view.features).toBeNull();
  });

  it('marks exactly the voxels that hold points', async () => {
    const session = demoSession();
    const cloud = session.scene!.loaded.cloud;
    const grid = await studioViewApi(() => session).occupancy({ voxelMetres: 0.05, labels: null, relevancy: null });
    const keys = new Set<string>();
    for (let i = 0; i < cloud.count; i++) keys.add([0, 1, 2].map((a) => Math.floor(cloud.positions[3 * i + a]! / 0.05)).join(','));
    let occupied = 0;
    for (const o of grid.occupancy) occupied += o;
    expect(occupied).toBe(keys.size);
    expect(grid.pointCounts.reduce((a, b) => a + b, 0)).toBe(cloud.count);
  });

  it('refuses an image size out of range, naming it', async () => {
    const api = studioViewApi(demoSession);
    const cam = scene.views[0]!;
    await expect(api.renderView({ camera: { ...cam, intrinsics: { ...cam.intrinsics, width: 0 } }, features: false })).rejects.toThrow(/image size 0×240/);
  });
});
