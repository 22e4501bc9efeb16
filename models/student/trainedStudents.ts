/**
 * Trained students committed under models/student/<name>/: each folder holds its ONNX file and an
 * `entry.json` ({ entry: ModelEntry, useAsDefault }) written by train.ts. The model build
 * (models/build/buildTinyModels.ts) merges these entries into models/manifest.json, so the
 * manifest stays one generated, test-checked file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePly } from '../../src/core/formats/ply.ts';
import type { ModelEntry } from '../../src/core/models/manifest.ts';
import type { TeacherScene } from './trainStudent.ts';

export const STUDENT_FOLDER = resolve(fileURLToPath(new URL('.', import.meta.url)));

export interface TrainedStudentRecord {
  readonly entry: ModelEntry;
  /** Whether the manifest's default student3d is this one. */
  readonly useAsDefault: boolean;
}

/** Records of every models/student/<name>/entry.json, sorted by folder name (deterministic). */
export function readTrainedStudents(folder = STUDENT_FOLDER): TrainedStudentRecord[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(folder, d.name, 'entry.json')))
    .map((d) => d.name)
    .sort()
    .map((name) => JSON.parse(readFileSync(join(folder, name, 'entry.json'), 'utf8')) as TrainedStudentRecord);
}

/** Reads one teacher PLY; the feature space comes from its `comment fieldlens-features … space=ID` line when present. */
export function readTeacherPly(path: string): TeacherScene & { space: string | null } {
  const bytes = new Uint8Array(readFileSync(path));
  const set = parsePly(bytes, basename(path));
  if (!set.colors) throw new Error(`${path}: the teacher PLY has no red green blue properties`);
  if (!set.features) throw new Error(`${path}: no per-point feature properties (feat_0 …); write it with fieldlens teacher`);
  const header = new TextDecoder().decode(bytes.subarray(0, 4096)).split('end_header')[0] ?? '';
  const space = /comment fieldlens-features.*?space[=: ]"?([\w.@/-]+)/.exec(header)?.[1] ?? null;
  return { name: basename(path), count: set.count, positions: set.positions, colors: set.colors, features: set.features.values, dim: set.features.dim, space };
}
