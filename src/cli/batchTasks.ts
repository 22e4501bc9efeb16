/**
 * The tasks `fieldlens batch` runs per capture: one row per single-capture command. Adding a task
 * (e.g. `render`, once a single-capture render command exists) is one entry here.
 */
import { writeFileSync } from 'node:fs';
import type { CaptureFile } from '../core/capture/captureFiles.ts';
import type { CaptureSettings } from '../core/capture/captureSettings.ts';
import type { SceneEngine } from '../infer/sceneEngine.ts';
import { runInfoCommand } from './infoCommand.ts';
import { queryEngine, runQueryCommand, type QueryCommandOptions } from './queryCommand.ts';
import { runTeacherCommand, teacherEngine, type TeacherCommandOptions } from './teacherCommand.ts';

/** Options of each task besides the capture (parsed by main.ts exactly as for the single command). */
export interface BatchSettings {
  readonly info: Record<string, never>;
  readonly teacher: Omit<TeacherCommandOptions, 'files' | 'capture' | 'out' | 'onProgress'>;
  readonly query: Omit<QueryCommandOptions, 'files' | 'capture' | 'out'>;
}
export type BatchTaskName = keyof BatchSettings;

interface BatchTask<K extends BatchTaskName> {
  /** Output file name after the item's name. */
  readonly suffix: string;
  /** State kept for the whole shard (loaded models), made before the first item. */
  readonly prepare: (settings: BatchSettings[K]) => SceneEngine | null;
  /** Writes the item's output to `out` (a temporary path the runner renames); returns a short note for the log. */
  readonly run: (
    files: readonly CaptureFile[],
    capture: CaptureSettings,
    settings: BatchSettings[K],
    out: string,
    engine: SceneEngine | null,
  ) => Promise<string>;
}

export const BATCH_TASKS: { readonly [K in BatchTaskName]: BatchTask<K> } = {
  info: {
    suffix: '.info.json',
    prepare: () => null,
    run: (files, capture, _settings, out) => {
      const info = runInfoCommand(files, capture);
      writeFileSync(out, `${JSON.stringify(info)}\n`);
      return Promise.resolve(`${info.points} points, ${info.views} views`);
    },
  },
  teacher: {
    suffix: '.teacher.ply',
    prepare: (settings) => teacherEngine(settings.manifestPath),
    run: async (files, capture, settings, out, engine) => {
      const r = await runTeacherCommand({ ...settings, files, capture, out }, engine!);
      return `${r.points} points, ${r.objects} segments, ${r.crops} crops, ${r.dim}-d ${r.backend}`;
    },
  },
  query: {
    suffix: '.query.ply',
    prepare: (settings) => queryEngine(settings),
    run: async (files, capture, settings, out, engine) => {
      const r = await runQueryCommand({ ...settings, files, capture, out }, engine!);
      return `${r.points} points, ${r.instances} instances, features from ${r.featureSource}`;
    },
  },
};

export const BATCH_TASK_NAMES = Object.keys(BATCH_TASKS) as BatchTaskName[];
