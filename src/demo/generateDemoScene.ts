/**
 * Renders the bundled demo scene (procedural tabletop, 4 RGB-D views) into public/demo/.
 *
 *   npx tsx src/demo/generateDemoScene.ts      (or: npm run build:demo)
 *
 * The output is byte-for-byte deterministic and committed; src/demo/generateDemoScene.test.ts checks that
 * the committed files equal what this script builds, so re-run it after changing anything in
 * src/core/synth and commit the result.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode } from 'fast-png';
import { makeDemoRig } from '../core/synth/demoRig.ts';
import { mixSeeds } from '../core/synth/prng.ts';
import { renderRgbdView } from '../core/synth/renderRgbdView.ts';
import { FLOOR_INSTANCE_ID, makeTabletopScene } from '../core/synth/tabletopScene.ts';
import { formatSceneJson, MILLIMETRE_DEPTH_SCALE, SCENE_FORMAT } from '../core/synth/sceneJson.ts';

export const DEMO_SCENE_SEED = 7;
export const DEMO_OUTPUT_DIRECTORY = resolve(dirname(fileURLToPath(import.meta.url)), '../../public/demo');

/** File name → bytes for everything in public/demo/. Pure apart from rendering: no file-system access. */
export function buildDemoSceneFiles(): Map<string, Uint8Array> {
  const scene = makeTabletopScene(DEMO_SCENE_SEED);
  const rig = makeDemoRig();
  const files = new Map<string, Uint8Array>();
  const views = rig.map((camera, index) => {
    const name = `view${index}`;
    const { width, height, color, depthMillimetres, instance } = renderRgbdView(scene, camera, {
      noiseSeed: mixSeeds(DEMO_SCENE_SEED, index),
    });
    const viewFiles = { color: `${name}_color.png`, depth: `${name}_depth.png`, instance: `${name}_instance.png` };
    files.set(viewFiles.color, encode({ width, height, data: color, channels: 3, depth: 8 }));
    files.set(viewFiles.depth, encode({ width, height, data: depthMillimetres, channels: 1, depth: 16 }));
    files.set(viewFiles.instance, encode({ width, height, data: instance, channels: 1, depth: 8 }));
    const { fx, fy, cx, cy } = camera.intrinsics;
    return {
      name,
      ...viewFiles,
      intrinsics: { width, height, fx, fy, cx, cy },
      cameraToWorld: [...camera.cameraToWorld],
    };
  });
  const sceneJson = {
    format: SCENE_FORMAT,
    name: 'FieldLens demo tabletop',
    depthScale: MILLIMETRE_DEPTH_SCALE,
    // The synthetic world is z-up (metres, floor at z = 0); viewers orbit about this axis.
    worldUp: [0, 0, 1],
    generator: { script: 'src/demo/generateDemoScene.ts', seed: DEMO_SCENE_SEED },
    views,
    objects: scene.objects
      .filter((object) => object.instanceId !== FLOOR_INSTANCE_ID)
      .map((object) => ({ id: object.instanceId, name: object.name, color: object.colourName })),
  };
  files.set('scene.json', new TextEncoder().encode(formatSceneJson(sceneJson)));
  return files;
}

function writeDemoSceneFiles(directory: string): void {
  mkdirSync(directory, { recursive: true });
  let totalBytes = 0;
  for (const [name, bytes] of buildDemoSceneFiles()) {
    writeFileSync(join(directory, name), bytes);
    totalBytes += bytes.length;
  }
  process.stdout.write(`wrote demo scene to ${directory} (${(totalBytes / 1024).toFixed(0)} KiB)\n`);
}

const isMainModule = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMainModule) writeDemoSceneFiles(DEMO_OUTPUT_DIRECTORY);
