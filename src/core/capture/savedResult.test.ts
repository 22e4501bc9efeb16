/** A FieldLens result PLY dropped again (studio) or given to the CLI is restored by the capture layer. */
import { describe, expect, it } from 'vitest';
import { encodeResultPly } from '../export/resultPly.ts';
import { captureSettings, DEFAULT_CAPTURE_SETTINGS } from './captureSettings.ts';
import { loadCapture } from './loadCapture.ts';

const positions = new Float32Array([0, 0, 1, 0.001, 0, 1, 2, 0, 1]);
const colors = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255]);
const relevancy = new Float32Array([0.25, 0.5, -0.125]);
const ply = encodeResultPly(
  { count: 3, positions, colors },
  {
    query: { text: 'red mug', mode: 'relevancy', formula: 'lerf', template: 'single', negatives: 'table', threshold: 0.5 },
    layers: [{ label: 'red mug', values: relevancy }],
    labels: null,
    instanceIds: new Int32Array([0, 0, -1]),
  },
);

describe('saved results', () => {
  it('are restored, and their columns are not taken as per-point features', () => {
    const loaded = loadCapture([{ name: 'result.ply', bytes: ply }], DEFAULT_CAPTURE_SETTINGS);
    expect(loaded.capture.detected).toBe('PLY point cloud result.ply: 3 points with colour, with a saved FieldLens result');
    expect(loaded.features).toBeUndefined();
    const restored = loaded.restoredResult!;
    expect(restored.query).toEqual({ text: 'red mug', mode: 'relevancy', formula: 'lerf', template: 'single', negatives: 'table', threshold: 0.5 });
    expect(Array.from(restored.layers[0]!.values)).toEqual([0.25, 0.5, -0.125]);
    expect(Array.from(restored.instanceIds!)).toEqual([0, 0, -1]);
  });

  it('are not restored when a filter merged points, and say so', () => {
    const loaded = loadCapture([{ name: 'result.ply', bytes: ply }], captureSettings({ voxelSize: 0.1 }));
    expect(loaded.cloud.count).toBe(2);
    expect(loaded.restoredResult).toBeUndefined();
    expect(loaded.capture.warnings).toContain(
      'the saved query result was not restored: the capture settings filtered points out (turn the filters off to see it)',
    );
  });
});
