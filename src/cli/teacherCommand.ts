/**
 * `fieldlens teacher`: lift a posed RGB-D capture, run the multi-view object-centric CLIP teacher
 * (onnxruntime-web WASM under Node, through the same SceneEngine the worker uses) and write a PLY with
 * x y z rgb + feat_0..feat_{D−1} per point — the bring-your-own-features layout the studio and
 * `fieldlens query` read back, and the training data of a student.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { CaptureFile } from '../core/capture/captureFiles.ts';
import type { CaptureSettings } from '../core/capture/captureSettings.ts';
import { loadCapture } from '../core/capture/loadCapture.ts';
import { writeFeaturePly } from '../core/features/featurePlyStream.ts';
import { resolveModelSet } from '../core/models/manifest.ts';
import type { FusionMode } from '../core/teacher/fusion.ts';
import type { TeacherMethod, TeacherProgress } from '../core/teacher/runTeacher.ts';
import { SceneEngine, type TeacherSummary } from '../infer/sceneEngine.ts';
import { nodeModelSourceAt, readModelManifest } from '../node/modelSource.ts';
import { defaultManifestFile } from '../node/repoPaths.ts';
import { DEFAULT_BEST_K, FUSION_MODES } from '../core/teacher/fusion.ts';
import { choice, countOption, readCapture, requiredOption, stringOption, type CliOptionRow, type ParsedArgs } from './cliArgs.ts';
import { MODEL_SET_OPTIONS } from './queryCommand.ts';

export interface TeacherCommandOptions {
  readonly files: readonly CaptureFile[];
  readonly capture: CaptureSettings;
  readonly fusion: FusionMode;
  readonly k: number;
  readonly method: TeacherMethod;
  readonly imageModelId?: string | undefined;
  /** A model set: its image encoder is the teacher's (unless imageModelId names one). */
  readonly modelSetId?: string | undefined;
  readonly manifestPath: string;
  readonly out: string;
  readonly onProgress?: (progress: TeacherProgress) => void;
}

export interface TeacherCommandResult extends TeacherSummary {
  readonly fusion: FusionMode;
  readonly method: TeacherMethod;
  readonly out: string;
}

/** An engine with the manifest's models; `fieldlens batch` keeps one per shard so models load once. */
export function teacherEngine(manifestPath: string): SceneEngine {
  return new SceneEngine(() => Promise.resolve(nodeModelSourceAt(manifestPath)));
}

/** The image encoder of a model set (the teacher's), with a clear error when the set has none. */
function setImageModel(manifestPath: string, modelSetId: string): string {
  const manifest = readModelManifest(manifestPath);
  const image = resolveModelSet(manifest, modelSetId, manifestPath).image;
  if (!image) throw new Error(`teacher: model set "${modelSetId}" has no image encoder`);
  return image.id;
}

export async function runTeacherCommand(o: TeacherCommandOptions, engine = teacherEngine(o.manifestPath)): Promise<TeacherCommandResult> {
  const loaded = loadCapture(o.files, o.capture);
  if (!loaded.capture.views || loaded.capture.views.length === 0) {
    throw new Error(`teacher: ${loaded.capture.detected} has no posed RGB-D views; the teacher needs colour images and depth (a point file has none)`);
  }
  const imageModelId = o.imageModelId ?? (o.modelSetId === undefined ? undefined : setImageModel(o.manifestPath, o.modelSetId));
  engine.setCloud(loaded.cloud, loaded.halfFeatures ?? loaded.features, loaded.capture.views);
  const summary = await engine.runTeacher({ fusion: o.fusion, k: o.k, method: o.method, ...(imageModelId ? { imageModelId } : {}) }, o.onProgress);
  const ply = await engine.featurePly('teacher');
  // Expanded per point only here, part by part, straight into the file.
  const fd = openSync(o.out, 'w');
  try {
    writeFeaturePly(ply, (part) => writeSync(fd, part));
  } finally {
    closeSync(fd);
  }
  return { ...summary, fusion: o.fusion, method: o.method, out: o.out };
}

const BASELINES = ['none', 'tiles', 'conceptfusion'] as const;

/** `teacher`'s own options (also `batch teacher`'s). */
export const TEACHER_OPTIONS: readonly CliOptionRow[] = [
  { name: 'out', value: 'FILE', help: ['the feature PLY'] },
  { name: 'fusion', value: 'F', help: [`${FUSION_MODES.join(' | ')} (default pixels)`] },
  { name: 'k', value: 'N', help: [`views kept by best-k fusion (default ${DEFAULT_BEST_K})`] },
  { name: 'baseline', value: 'B', help: ['tiles | conceptfusion instead of the object-centric teacher'] },
  { name: 'image-model', value: 'ID', help: ['a clip-image model from the manifest'] },
  ...MODEL_SET_OPTIONS,
];

/** Teacher settings from the options, as `teacher` and `batch teacher` take them. */
export function teacherSettings(args: ParsedArgs): Omit<TeacherCommandOptions, 'files' | 'capture' | 'out' | 'onProgress'> {
  const k = countOption(args, 'k', DEFAULT_BEST_K);
  const baseline = choice(args, 'baseline', BASELINES, 'none');
  return {
    fusion: choice(args, 'fusion', FUSION_MODES, 'pixels'),
    k,
    method: baseline === 'none' ? 'objects' : baseline,
    imageModelId: stringOption(args, 'image-model'),
    modelSetId: stringOption(args, 'model-set'),
    manifestPath: stringOption(args, 'manifest') ?? defaultManifestFile,
  };
}

export async function teacherCli(args: ParsedArgs): Promise<number> {
  const out = requiredOption(args, 'out', 'teacher: --out scene.ply is required');
  if (args.positional.length === 0) throw new Error('teacher: give a posed RGB-D capture (files, a folder or a zip)');
  const json = args.options.has('json');
  const result = await runTeacherCommand({
    ...readCapture(args, args.positional),
    ...teacherSettings(args),
    out,
    ...(json ? {} : { onProgress: (p: TeacherProgress) => process.stderr.write(`\r${p.stage} ${p.done}/${p.total}${p.done === p.total ? '\n' : ''}`) }),
  });
  const t = result.timings;
  process.stdout.write(
    json
      ? `${JSON.stringify(result)}\n`
      : `wrote ${result.points} points with ${result.dim}-d teacher features (${result.space}) to ${result.out}: ${result.objects} segments, ${result.views} views, ${result.crops} crops, ${t.totalMs.toFixed(0)} ms\n`,
  );
  return 0;
}
