import { describe, expect, it } from 'vitest';
import { itemsOfShard, resolveShard, stableNames } from './batchShards.ts';

const keys = Array.from({ length: 23 }, (_, i) => ({ key: `/data/scans/scene_${String((i * 7) % 23).padStart(3, '0')}` }));

describe('batch shard split', () => {
  it('puts every item in exactly one shard for N = 1…7, sizes within one of each other', () => {
    for (let n = 1; n <= 7; n++) {
      const shards = Array.from({ length: n }, (_, index) => itemsOfShard(keys, { index, count: n }).map((x) => x.key));
      const all = shards.flat();
      expect(all.length).toBe(keys.length);
      expect(new Set(all).size).toBe(keys.length);
      const sizes = shards.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('is stable under re-ordering of the input list; shard I takes sorted positions I, I+N, …', () => {
    const reversed = [...keys].reverse();
    const shuffled = [...keys].sort((a, b) => (a.key.charCodeAt(a.key.length - 1) % 3) - (b.key.charCodeAt(b.key.length - 1) % 3));
    for (let n = 1; n <= 7; n++) {
      for (let index = 0; index < n; index++) {
        const expected = itemsOfShard(keys, { index, count: n }).map((x) => x.key);
        expect(itemsOfShard(reversed, { index, count: n }).map((x) => x.key)).toEqual(expected);
        expect(itemsOfShard(shuffled, { index, count: n }).map((x) => x.key)).toEqual(expected);
      }
    }
    // Written out by hand: scene_000 … scene_022 sorted, shard 1 of 4 = positions 1, 5, 9, …
    expect(itemsOfShard(keys, { index: 1, count: 4 }).map((x) => x.key.slice(-3))).toEqual(['001', '005', '009', '013', '017', '021']);
  });
});

describe('batch shard defaults from the engine environment', () => {
  it('Slurm: task id with count, with min/max only, with a step, ids from 1', () => {
    expect(resolveShard({}, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '3' })).toMatchObject({
      index: 2,
      count: 4,
    });
    expect(resolveShard({}, { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '8' })).toMatchObject({ index: 4, count: 8 });
    expect(resolveShard({}, { SLURM_ARRAY_TASK_ID: '8', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '12', SLURM_ARRAY_TASK_STEP: '4' })).toMatchObject({
      index: 2,
      count: 4,
    });
    expect(() => resolveShard({}, { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '7' })).toThrow(
      /not one range/,
    );
  });

  it('Kubernetes Indexed Job: the index from JOB_COMPLETION_INDEX, the count only given explicitly', () => {
    expect(resolveShard({ count: 6 }, { JOB_COMPLETION_INDEX: '5' })).toMatchObject({ index: 5, count: 6 });
    expect(() => resolveShard({}, { JOB_COMPLETION_INDEX: '5' })).toThrow(/--shard-count/);
    expect(() => resolveShard({ count: 5 }, { JOB_COMPLETION_INDEX: '5' })).toThrow(/outside 0…4/);
  });

  it('AWS Batch array: index and size', () => {
    expect(resolveShard({}, { AWS_BATCH_JOB_ARRAY_INDEX: '3', AWS_BATCH_JOB_ARRAY_SIZE: '10' })).toMatchObject({ index: 3, count: 10 });
    expect(() => resolveShard({}, { AWS_BATCH_JOB_ARRAY_INDEX: '3' })).toThrow(/shard count is unknown/);
  });

  it('explicit options win; no engine = the whole list', () => {
    expect(resolveShard({ index: 1, count: 3 }, { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '4' })).toMatchObject({ index: 1, count: 3 });
    expect(resolveShard({}, {})).toMatchObject({ index: 0, count: 1 });
    expect(() => resolveShard({ index: 2 }, {})).toThrow(/shard count is unknown/);
  });
});

describe('batch output names', () => {
  it('the capture name without extension; shared names get a hash of the whole path', () => {
    const names = stableNames(['/d/a/scene_0', '/d/b/scene_0', '/d/c/office room.zip', '/d/c/kitchen/']);
    expect(names.get('/d/c/office room.zip')).toBe('office_room');
    expect(names.get('/d/c/kitchen/')).toBe('kitchen');
    expect(names.get('/d/a/scene_0')).toMatch(/^scene_0-[0-9a-f]{8}$/);
    expect(names.get('/d/a/scene_0')).not.toBe(names.get('/d/b/scene_0'));
    expect(stableNames(['/d/b/scene_0', '/d/a/scene_0']).get('/d/a/scene_0')).toBe(names.get('/d/a/scene_0'));
  });
});
