/**
 * `fieldlens info`: what a capture is once lifted — format, point count, bounds and centroid
 * (metres, world frame), views, per-stage counts and warnings. Also `fieldlens batch info`'s output.
 */
import type { CaptureFile } from '../core/capture/captureFiles.ts';
import type { CaptureSettings } from '../core/capture/captureSettings.ts';
import { loadCapture } from '../core/capture/loadCapture.ts';
import { computeBounds } from '../core/lift/pointCloud.ts';
import { readCapture, type ParsedArgs } from './cliArgs.ts';

export function runInfoCommand(files: readonly CaptureFile[], options: CaptureSettings) {
  const loaded = loadCapture(files, options);
  const { cloud, capture } = loaded;
  const own = loaded.halfFeatures ?? loaded.features;
  const bounds = computeBounds(cloud.positions, cloud.count);
  return {
    format: capture.format,
    detected: capture.detected,
    points: cloud.count,
    min: bounds.min,
    max: bounds.max,
    centroid: bounds.centroid,
    views: capture.views?.length ?? 0,
    counts: loaded.counts,
    features: own ? { dim: own.dim, names: own.names } : null,
    warnings: capture.warnings,
    depthScaleWarning: capture.depthScaleWarning?.message ?? null,
  };
}

/** The command-table runner: prints the summary, or one JSON object with --json. */
export function infoCli(args: ParsedArgs): number {
  if (args.positional.length === 0) throw new Error('info: give capture files, folders or zips (e.g. color.png depth.png camera.json)');
  const { files, capture } = readCapture(args, args.positional);
  const result = runInfoCommand(files, capture);
  if (args.options.has('json')) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  const fmt = (v: readonly number[]) => `[${v.map((x) => x.toFixed(4)).join(', ')}]`;
  process.stdout.write(
    `${result.detected}\n${result.points} points\n  min ${fmt(result.min)} m\n  max ${fmt(result.max)} m\n  centroid ${fmt(result.centroid)} m\n`,
  );
  for (const w of result.warnings) process.stdout.write(`  note: ${w}\n`);
  if (result.depthScaleWarning) process.stdout.write(`  depth units: ${result.depthScaleWarning}\n`);
  return 0;
}
