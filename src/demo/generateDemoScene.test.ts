import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { makeDemoRig } from '../core/synth/demoRig.ts';
import { buildDemoSceneFiles, DEMO_OUTPUT_DIRECTORY } from './generateDemoScene.ts';

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

describe('buildDemoSceneFiles', () => {
  const files = buildDemoSceneFiles();

  it('produces scene.json and a colour, depth and instance PNG per view', () => {
    const expectedNames = ['scene.json'];
    for (let view = 0; view < 4; view++) expectedNames.push(`view${view}_color.png`, `view${view}_depth.png`, `view${view}_instance.png`);
    expect([...files.keys()].sort()).toEqual(expectedNames.sort());
  });

  it('is byte-for-byte deterministic', () => {
    const again = buildDemoSceneFiles();
    for (const [name, bytes] of files) {
      const other = again.get(name);
      expect(other !== undefined && sameBytes(bytes, other), name).toBe(true);
    }
  });

  it('matches the files committed in public/demo/ (re-run `npm run build:demo` after changing src/core/synth)', () => {
    for (const [name, bytes] of files) {
      const path = join(DEMO_OUTPUT_DIRECTORY, name);
      expect(existsSync(path), `${path} is missing`).toBe(true);
      expect(sameBytes(bytes, new Uint8Array(readFileSync(path))), `${name} differs from the committed file`).toBe(true);
    }
  });

  it('writes PNGs in the formats scene.json promises: RGB8 colour, 16-bit millimetre depth, 8-bit instance', () => {
    const png = (name: string) => {
      const bytes = files.get(name);
      if (bytes === undefined) throw new Error(`${name} was not built`);
      return decode(bytes);
    };
    const color = png('view0_color.png');
    const depth = png('view0_depth.png');
    const instance = png('view0_instance.png');
    expect([color.width, color.height, color.channels, color.depth]).toEqual([320, 240, 3, 8]);
    expect([depth.width, depth.height, depth.channels, depth.depth]).toEqual([320, 240, 1, 16]);
    expect([instance.width, instance.height, instance.channels, instance.depth]).toEqual([320, 240, 1, 8]);
    // Camera ~1.3 m from the table-top centre: the centre pixel is on the table, 1.2–1.4 m deep.
    const centreDepthMm = depth.data[120 * 320 + 160] ?? 0;
    expect(centreDepthMm).toBeGreaterThan(1200);
    expect(centreDepthMm).toBeLessThan(1400);
    expect(new Set(instance.data)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
  });

  it('describes the views and objects in scene.json', () => {
    const sceneBytes = files.get('scene.json');
    if (sceneBytes === undefined) throw new Error('scene.json was not built');
    const scene = JSON.parse(new TextDecoder().decode(sceneBytes)) as {
      format: string;
      depthScale: number;
      generator: unknown;
      views: { name: string; color: string; intrinsics: unknown; cameraToWorld: number[] }[];
      objects: unknown[];
    };
    expect(scene.format).toBe('fieldlens-scene@1');
    expect(scene.depthScale).toBe(1000);
    expect(scene.generator).toEqual({ script: 'src/demo/generateDemoScene.ts', seed: 7 });
    const rig = makeDemoRig();
    expect(scene.views).toHaveLength(rig.length);
    scene.views.forEach((view, index) => {
      expect(view.name).toBe(`view${index}`);
      expect(view.color).toBe(`view${index}_color.png`);
      expect(view.intrinsics).toEqual(rig[index]?.intrinsics);
      expect(view.cameraToWorld).toEqual([...(rig[index]?.cameraToWorld ?? [])]);
    });
    expect(scene.objects).toEqual([
      { id: 1, name: 'red mug', color: 'red' },
      { id: 2, name: 'yellow dice', color: 'yellow' },
      { id: 3, name: 'blue ball', color: 'blue' },
      { id: 4, name: 'green box', color: 'green' },
      { id: 5, name: 'white plate', color: 'white' },
      { id: 6, name: 'wooden table', color: 'brown' },
    ]);
  });
});
