/**
 * `fieldlens render <capture> --view N | --pose FILE --out DIR [--size WxH] [--text "…"]`: images of
 * the lifted cloud from an input camera or a pose file (src/core/render/renderCamera.ts), splatted
 * with a depth test and nearest-valid hole fill (splatRender.ts), written as the files listed in
 * src/core/render/renderFiles.ts. Splat size: the cloud's median nearest-neighbour spacing projected
 * at each point's depth. Depth and colour blend the splats within 2 % of the front-most depth
 * (RENDER_BLEND_RELATIVE): a fused capture holds several noisy samples of each surface, and the
 * nearest of them alone read 5.2 mm in front of a real Redwood frame's own depth (median; 3.2 mm
 * off, unbiased, with the blend).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CaptureFile } from '../core/capture/captureFiles.ts';
import type { CaptureSettings } from '../core/capture/captureSettings.ts';
import { loadCapture, type LoadedCapture } from '../core/capture/loadCapture.ts';
import { pcaToRgbGlobal } from '../core/query/pca.ts';
import { storePca } from '../core/features/storeKernels.ts';
import { readFeatureRows } from '../core/features/featureStores.ts';
import { parseRenderCamera, resizeIntrinsics, type RenderCamera } from '../core/render/renderCamera.ts';
import { coverage, renderFiles, type RenderExtras } from '../core/render/renderFiles.ts';
import { renderSplats } from '../core/render/splatRender.ts';
import { estimatePointSpacing } from '../core/render/viewRender.ts';
import { numberOption, readCapture, requiredOption, stringOption, type CliOptionRow, type ParsedArgs } from './cliArgs.ts';
import { parseSize } from './datasetCommand.ts';
import { modelChoice, pointFeatures, pointRelevancy, SCENE_MODEL_OPTIONS, sceneEngine, type ModelChoice } from './sceneModels.ts';

export const RENDER_BLEND_RELATIVE = 0.02;

export interface RenderCommandOptions {
  readonly files: readonly CaptureFile[];
  readonly capture: CaptureSettings;
  /** An input camera's index, or a pose file's path (exactly one). */
  readonly view?: number | undefined;
  readonly poseFile?: string | undefined;
  readonly size?: { readonly width: number; readonly height: number } | undefined;
  readonly out: string;
  readonly text?: string | undefined;
  /** Write pca.png (runs the student unless the capture brings features). */
  readonly pca: boolean;
  /** Write features.npy. */
  readonly features: boolean;
  readonly models: ModelChoice;
}

export interface RenderCommandResult {
  readonly out: string;
  readonly files: readonly string[];
  readonly width: number;
  readonly height: number;
  readonly camera: RenderCamera;
  readonly pointSpacingMetres: number;
  /** Share of the image's pixels drawn. */
  readonly coverage: number;
  readonly points: number;
  readonly renderMs: number;
}

export const RENDER_OPTIONS: readonly CliOptionRow[] = [
  { name: 'view', value: 'N', help: ['render from input camera N (0-based)'] },
  {
    name: 'pose',
    value: 'FILE',
    help: ['or from a pose file: JSON { cameraToWorld: 4×4, intrinsics: {…} }, or a 4×4 text file (camera 0 intrinsics)'],
  },
  { name: 'out', value: 'DIR', help: ['writes rgb.png, depth.npy (float32 metres), index.npy, pca.png; render.json'] },
  { name: 'size', value: 'WxH', help: ["image size (default: the camera's own)"] },
  { name: 'text', value: '"<phrase>"', help: ['also relevancy.npy (float32) and relevancy.png (turbo)'] },
  { name: 'features', help: ['also features.npy: float32 [H, W, D] feature image'] },
  { name: 'no-pca', help: ['skip pca.png (no model run for a capture without its own features)'] },
  ...SCENE_MODEL_OPTIONS,
];

function chooseCamera(loaded: LoadedCapture, o: RenderCommandOptions): RenderCamera {
  const views = loaded.capture.views ?? [];
  if ((o.view === undefined) === (o.poseFile === undefined)) throw new Error('render: give exactly one of --view N and --pose FILE');
  let camera: RenderCamera;
  if (o.view !== undefined) {
    const view = views[o.view];
    if (!view)
      throw new Error(
        `render: --view ${o.view}: the capture has ${views.length} input camera${views.length === 1 ? '' : 's'}${views.length ? ` (0..${views.length - 1})` : ''}`,
      );
    camera = { intrinsics: view.intrinsics, cameraToWorld: view.cameraToWorld };
  } else {
    camera = parseRenderCamera(new Uint8Array(readFileSync(o.poseFile!)), basename(o.poseFile!), views[0]?.intrinsics);
  }
  return o.size ? { ...camera, intrinsics: resizeIntrinsics(camera.intrinsics, o.size.width, o.size.height) } : camera;
}

export async function runRenderCommand(o: RenderCommandOptions): Promise<RenderCommandResult> {
  const loaded = loadCapture(o.files, o.capture);
  const camera = chooseCamera(loaded, o);
  const { cloud } = loaded;
  const t0 = performance.now();
  const pointSpacingMetres = estimatePointSpacing(cloud.positions, cloud.count);
  const images = renderSplats(cloud, { ...camera, pointSpacingMetres, blendRelative: RENDER_BLEND_RELATIVE });
  const renderMs = performance.now() - t0;
  const extras: RenderExtras = {};
  if (o.pca || o.text !== undefined || o.features) {
    const engine = sceneEngine(loaded, o.models);
    const features = o.pca || o.features ? await pointFeatures(engine, loaded) : null;
    Object.assign(extras, {
      pcaRgb: o.pca && features ? pcaToRgbGlobal(storePca(features, { components: 3 }).projected) : null,
      relevancy: o.text !== undefined ? await pointRelevancy(engine, o.text) : null,
      features: o.features && features ? { dim: features.dim, readRow: (i: number, row: Float32Array) => readFeatureRows(features, i, 1, row) } : null,
    });
  }
  const files = renderFiles(images, extras);
  const result: RenderCommandResult = {
    out: o.out,
    files: [...files.keys(), 'render.json'],
    width: images.width,
    height: images.height,
    camera,
    pointSpacingMetres,
    coverage: coverage(images),
    points: cloud.count,
    renderMs,
  };
  mkdirSync(o.out, { recursive: true });
  for (const [name, bytes] of files) writeFileSync(join(o.out, name), bytes);
  writeFileSync(join(o.out, 'render.json'), `${JSON.stringify({ ...result, text: o.text ?? null }, null, 1)}\n`);
  return result;
}

export async function renderCli(args: ParsedArgs): Promise<number> {
  if (args.positional.length === 0) throw new Error('render: give a capture (files, a folder or a zip)');
  const view = numberOption(args, 'view');
  if (view !== undefined && !Number.isInteger(view)) throw new Error(`--view: expected a camera index, found ${view}`);
  const size = stringOption(args, 'size');
  const result = await runRenderCommand({
    ...readCapture(args, args.positional),
    view,
    poseFile: stringOption(args, 'pose'),
    size: size === undefined ? undefined : parseSize(size),
    out: requiredOption(args, 'out', 'render: --out DIR is required'),
    text: stringOption(args, 'text'),
    pca: !args.options.has('no-pca'),
    features: args.options.has('features'),
    models: modelChoice(args),
  });
  process.stdout.write(
    args.options.has('json')
      ? `${JSON.stringify(result)}\n`
      : `wrote ${result.files.join(', ')} to ${result.out}: ${result.width}×${result.height}, ${(result.coverage * 100).toFixed(1)} % covered, ${result.points} points in ${result.renderMs.toFixed(0)} ms\n`,
  );
  return 0;
}
