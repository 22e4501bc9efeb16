import { createHash } from 'node:crypto';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPTURE_SETTINGS } from '../core/capture/captureSettings.ts';
import { loadCapture } from '../core/capture/loadCapture.ts';
import { buildDatasetScene, parseSize, type DatasetOptions } from './datasetCommand.ts';

const OPTIONS: DatasetOptions = { seed: 5, scenes: 1, views: 2, width: 96, height: 72 };
const digest = (files: Map<string, Uint8Array>) =>
  createHash('sha256')
    .update(JSON.stringify([...files].map(([name, bytes]) => [name, createHash('sha256').update(bytes).digest('hex')])))
    .digest('hex');

describe('fieldlens dataset', () => {
  it('is deterministic: the same seed gives the same bytes, another seed another scene', () => {
    const a = buildDatasetScene(OPTIONS, 0);
    expect(digest(buildDatasetScene(OPTIONS, 0))).toBe(digest(a));
    expect(digest(buildDatasetScene({ ...OPTIONS, seed: 6 }, 0))).not.toBe(digest(a));
    expect(digest(buildDatasetScene(OPTIONS, 1))).not.toBe(digest(a));
  });

  it('writes colour, 16-bit depth and instance masks that agree with scene.json, readable as a posed capture', () => {
    const files = buildDatasetScene(OPTIONS, 0);
    const scene = JSON.parse(new TextDecoder().decode(files.get('scene.json'))) as {
      views: { depth: string; instance: string }[];
      objects: { id: number; table: boolean }[];
    };
    expect(scene.views).toHaveLength(2);
    const objectIds = scene.objects.filter((o) => !o.table).map((o) => o.id);
    expect(objectIds.length).toBeGreaterThanOrEqual(2);
    const depth = decode(files.get(scene.views[0]!.depth)!);
    expect([depth.width, depth.height, depth.depth, depth.channels]).toEqual([96, 72, 16, 1]);
    // Every object appears in at least one view's instance mask.
    const seen = new Set<number>();
    for (const view of scene.views) for (const id of decode(files.get(view.instance)!).data) seen.add(id);
    for (const id of objectIds) expect(seen.has(id)).toBe(true);
    const loaded = loadCapture(
      [...files].map(([name, bytes]) => ({ name, bytes })),
      DEFAULT_CAPTURE_SETTINGS,
    );
    expect(loaded.capture.views).toHaveLength(2);
    // Every pixel with depth becomes a point (the renderer leaves 0 only where rays miss).
    let withDepth = 0;
    for (const view of scene.views) for (const d of decode(files.get(view.depth)!).data) if (d > 0) withDepth++;
    expect(loaded.cloud.count).toBe(withDepth);
  });

  it('parses --size and rejects bad sizes', () => {
    expect(parseSize('160x120')).toEqual({ width: 160, height: 120 });
    expect(parseSize(undefined)).toEqual({ width: 320, height: 240 });
    expect(() => parseSize('160')).toThrow(/WIDTHxHEIGHT/);
  });
});
