import { describe, expect, it } from 'vitest';
import { applyTaskProgress, type TaskProgressState } from './taskProgress.ts';
import type { TaskProgress } from '../../../workers/scene/protocol.ts';

const fold = (events: readonly TaskProgress[]): TaskProgressState => events.reduce(applyTaskProgress, { modelDownloads: [], stageProgress: [] });

describe('task progress', () => {
  it('keeps one bar per model file with its bytes, marked done when ready', () => {
    const state = fold([
      { status: 'initiate', file: 'text.onnx' },
      { status: 'progress', file: 'text.onnx', loaded: 100, total: 400 },
      { status: 'initiate', file: 'student.onnx' },
      { status: 'progress', file: 'text.onnx', loaded: 400, total: 400 },
      { status: 'ready', file: 'text.onnx', bytes: 400 },
      { status: 'progress', file: 'student.onnx', loaded: 10, total: null },
    ]);
    expect(state.modelDownloads).toEqual([
      { file: 'text.onnx', loaded: 400, total: 400, done: true },
      { file: 'student.onnx', loaded: 10, total: null, done: false },
    ]);
  });

  it('keeps one entry per stage in start order, with its time once it ended', () => {
    const state = fold([
      { status: 'stage', stage: 'student', ms: null },
      { status: 'stage', stage: 'student', ms: 12.5 },
      { status: 'stage', stage: 'text-encode', ms: null },
    ]);
    expect(state.stageProgress).toEqual([
      { stage: 'student', ms: 12.5 },
      { stage: 'text-encode', ms: null },
    ]);
  });
});
