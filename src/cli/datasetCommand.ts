/**
 * `fieldlens dataset`: a deterministic training set of random tabletops (src/core/synth/randomTabletop.ts)
 * rendered by the repo's ray-caster. Per scene a folder `scene_NNN/` in the demo's own layout —
 * `scene.json` (fieldlens-scene@1: intrinsics, camera-to-world poses, depth scale 1000, objects)
 * and per view a colour PNG, a 16-bit depth PNG (millimetres) and an 8-bit instance-mask PNG — so
 * `fieldlens teacher DIR/scene_000` and the studio read it like the demo.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encode } from 'fast-png';
import { mixSeeds } from '../core/synth/prng.ts';
import { makeRandomRig, makeRandomTabletopScene } from '../core/synth/randomTabletop.ts';
import { renderRgbdView } from '../core/synth/renderRgbdView.ts';
import { FLOOR_INSTANCE_ID, TABLE_INSTANCE_ID } from '../core/synth/tabletopScene.ts';
import { countOption, numberOption, requiredOption, stringOption, type ParsedArgs } from './cliArgs.ts';
import { formatSceneJson, MILLIMETRE_DEPTH_SCALE, SCENE_FORMAT } from '../core/synth/sceneJson.ts';

export interface DatasetOptions {
  readonly seed: number;
  readonly scenes: number;
  readonly views: number;
  readonly width: number;
  readonly height: number;
}

export const DEFAULT_DATASET_SIZE = { width: 320, height: 240 } as const;

export const sceneFolderName = (index: number): string => `scene_${String(index).padStart(3, '0')}`;

/** Files of one scene, keyed by name inside its folder. Pure apart from rendering. */
export function buildDatasetScene(o: DatasetOptions, index: number): Map<string, Uint8Array> {
  const sceneSeed = mixSeeds(o.seed, index);
  const scene = makeRandomTabletopScene(sceneSeed);
  const files = new Map<string, Uint8Array>();
  const views = makeRandomRig(sceneSeed, o.views, o.width, o.height).map((camera, v) => {
    const name = `view${v}`;
    const { width, height, color, depthMillimetres, instance } = renderRgbdView(scene, camera, { noiseSeed: mixSeeds(sceneSeed, v) });
    const viewFiles = { color: `${name}_color.png`, depth: `${name}_depth.png`, instance: `${name}_instance.png` };
    files.set(viewFiles.color, encode({ width, height, data: color, channels: 3, depth: 8 }));
    files.set(viewFiles.depth, encode({ width, height, data: depthMillimetres, channels: 1, depth: 16 }));
    files.set(viewFiles.instance, encode({ width, height, data: instance, channels: 1, depth: 8 }));
    return { name, ...viewFiles, intrinsics: camera.intrinsics, cameraToWorld: [...camera.cameraToWorld] };
  });
  const description = {
    format: SCENE_FORMAT,
    name: `FieldLens random tabletop ${sceneFolderName(index)}`,
    depthScale: MILLIMETRE_DEPTH_SCALE,
    worldUp: [0, 0, 1],
    generator: { command: 'fieldlens dataset', seed: o.seed, scene: index, sceneSeed },
    views,
    objects: scene.objects
      .filter((object) => object.instanceId !== FLOOR_INSTANCE_ID)
      .map((object) => ({ id: object.instanceId, name: object.name, color: object.colourName, table: object.instanceId === TABLE_INSTANCE_ID })),
  };
  files.set('scene.json', new TextEncoder().encode(formatSceneJson(description)));
  return files;
}

export function parseSize(raw: string | undefined): { width: number; height: number } {
  if (raw === undefined) return { ...DEFAULT_DATASET_SIZE };
  const match = /^(\d+)x(\d+)$/.exec(raw);
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (!match || width < 8 || height < 8 || width > 4096 || height > 4096)
    throw new Error(`--size: expected WIDTHxHEIGHT in pixels (8..4096), e.g. 320x240, found ${raw}`);
  return { width, height };
}

/** Writes `scenes` folders under `out`; returns what was written. */
export function runDatasetCommand(
  o: DatasetOptions & { readonly out: string },
  log: (line: string) => void = () => undefined,
): { scenes: number; files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (let index = 0; index < o.scenes; index++) {
    const folder = join(o.out, sceneFolderName(index));
    for (const [name, data] of buildDatasetScene(o, index)) {
      const path = join(folder, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, data);
      files++;
      bytes += data.length;
    }
    log(`wrote ${folder}`);
  }
  return { scenes: o.scenes, files, bytes };
}

export function datasetCli(args: ParsedArgs): number {
  const out = requiredOption(args, 'out', 'dataset: --out DIR is required');
  const written = runDatasetCommand(
    {
      seed: Math.floor(numberOption(args, 'seed') ?? 0),
      scenes: countOption(args, 'scenes', 1),
      views: countOption(args, 'views', 4),
      ...parseSize(stringOption(args, 'size')),
      out,
    },
    (line) => process.stdout.write(`${line}\n`),
  );
  process.stdout.write(`${written.scenes} scenes, ${written.files} files, ${(written.bytes / 1024).toFixed(0)} KiB\n`);
  return 0;
}
