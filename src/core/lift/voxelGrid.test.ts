import { describe, expect, it } from 'vitest';
import { assignVoxels, buildVoxelGrid, coarsenCells, groupByCell, neighbourCells, NEIGHBOUR_OFFSETS, VoxelHash, voxelKey } from './voxelGrid.ts';
import { mulberry32 } from '../synth/prng.ts';

function randomCloud(n: number, seed: number, extent: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n * 3 }, () => (r() * 2 - 1) * extent);
}

/** Brute-force reference with string keys (fine in a test). */
function stringKeys(positions: Float32Array, n: number, size: number): string[] {
  return Array.from({ length: n }, (_, i) => [0, 1, 2].map((a) => Math.floor(positions[i * 3 + a]! / size)).join(','));
}

describe('voxel keys', () => {
  it('floor negative coordinates downwards, including exactly on a boundary', () => {
    expect(voxelKey(0, 0.25)).toBe(0);
    expect(voxelKey(0.2, 0.25)).toBe(0);
    expect(voxelKey(0.25, 0.25)).toBe(1);
    expect(voxelKey(-0.2, 0.25)).toBe(-1);
    expect(voxelKey(-0.25, 0.25)).toBe(-1);
    expect(voxelKey(-0.26, 0.25)).toBe(-2);
    expect(voxelKey(-0.5, 0.25)).toBe(-2);
  });

  it('refuses coordinates without a 32-bit key', () => {
    expect(() => voxelKey(NaN, 0.1)).toThrow(/no 32-bit voxel key/);
    expect(() => voxelKey(1e9, 0.01)).toThrow(/no 32-bit voxel key/);
    expect(() => assignVoxels(new Float32Array([0, 0, 0, 0, Infinity, 0]), 2, 0.1)).toThrow(/point 1 .* no 32-bit voxel key/);
    expect(() => assignVoxels(new Float32Array(3), 1, 0)).toThrow(/cell size must be a positive/);
  });
});

describe('VoxelHash', () => {
  it('gives dense ids in insertion order, finds them again after growing, and −1 for absent keys', () => {
    const hash = new VoxelHash(4);
    const r = mulberry32(7);
    const keys: [number, number, number][] = [];
    const seen = new Map<string, number>();
    const ids: number[] = [];
    const expectedIds: number[] = [];
    for (let i = 0; i < 50_000; i++) {
      // Small clustered keys, negative keys, and keys near the int32 limits.
      const big = i % 97 === 0;
      const k: [number, number, number] = big
        ? [Math.floor((r() * 2 - 1) * 2 ** 31), -(2 ** 31), 2 ** 31 - 1]
        : [Math.floor(r() * 60) - 30, Math.floor(r() * 60) - 30, Math.floor(r() * 20) - 10];
      const expected = seen.get(k.join(',')) ?? seen.size;
      if (!seen.has(k.join(','))) {
        seen.set(k.join(','), expected);
        keys.push(k);
      }
      ids.push(hash.insert(...k));
      expectedIds.push(expected);
    }
    expect(ids).toEqual(expectedIds);
    expect(hash.size).toBe(seen.size);
    expect(keys.map((k) => hash.find(...k))).toEqual(keys.map((_, id) => id));
    expect(Array.from(hash.coords)).toEqual(keys.flat());
    expect(hash.find(1000, 1000, 1000)).toBe(-1);
    expect(hash.find(-31, 0, 0)).toBe(-1);
  });
});

describe('assignVoxels', () => {
  it('partitions random clouds exactly as string keys do, with ids by first occurrence', () => {
    for (const [n, size, extent, seed] of [
      [5000, 0.1, 1, 1],
      [20_000, 0.01, 0.3, 2],
      [3000, 0.25, 2, 3],
      [1000, 1e-4, 0.01, 4],
    ] as const) {
      const positions = randomCloud(n, seed, extent);
      const grid = assignVoxels(positions, n, size);
      const keys = stringKeys(positions, n, size);
      const firstIds = new Map<string, number>();
      keys.forEach((k) => {
        if (!firstIds.has(k)) firstIds.set(k, firstIds.size);
      });
      expect(grid.cellCount).toBe(firstIds.size);
      expect(Array.from(grid.cellOfPoint)).toEqual(keys.map((k) => firstIds.get(k)));
      expect(Array.from({ length: grid.cellCount }, (_, id) => Array.from(grid.cellCoords.subarray(id * 3, id * 3 + 3)).join(','))).toEqual([
        ...firstIds.keys(),
      ]);
    }
  });

  it('groups the points of each cell in ascending order (CSR)', () => {
    const { cellStart, cellPoints } = groupByCell(new Uint32Array([2, 0, 2, 1, 0, 2]), 3);
    expect(Array.from(cellStart)).toEqual([0, 2, 3, 6]);
    expect(Array.from(cellPoints)).toEqual([1, 4, 3, 0, 2, 5]);
  });
});

describe('buildVoxelGrid', () => {
  it('numbers cells lexicographically and lists each cell’s points with their positions', () => {
    const n = 4000;
    const positions = randomCloud(n, 11, 0.5);
    const grid = buildVoxelGrid(positions, n, 0.07);
    const keys = stringKeys(positions, n, 0.07);
    expect(grid.cellCount).toBe(new Set(keys).size);
    for (let c = 1; c < grid.cellCount; c++) {
      const a = Array.from(grid.cellCoords.subarray((c - 1) * 3, c * 3));
      const b = Array.from(grid.cellCoords.subarray(c * 3, c * 3 + 3));
      expect(a[0]! < b[0]! || (a[0] === b[0] && (a[1]! < b[1]! || (a[1] === b[1] && a[2]! < b[2]!)))).toBe(true);
    }
    const listed = new Set<number>();
    const problems: string[] = [];
    for (let c = 0; c < grid.cellCount; c++) {
      const key = Array.from(grid.cellCoords.subarray(c * 3, c * 3 + 3)).join(',');
      if (grid.hash.find(...(key.split(',').map(Number) as [number, number, number])) !== c) problems.push(`hash of cell ${c}`);
      for (let j = grid.cellStart[c]!; j < grid.cellStart[c + 1]!; j++) {
        const i = grid.cellPoints[j]!;
        if (keys[i] !== key || grid.cellOfPoint[i] !== c) problems.push(`point ${i} listed in cell ${c}`);
        if ([0, 1, 2].some((a) => grid.sortedPositions[j * 3 + a] !== positions[i * 3 + a])) problems.push(`position ${j}`);
        listed.add(i);
      }
    }
    expect(problems).toEqual([]);
    expect(listed.size).toBe(n);
  });
});

describe('neighbourCells', () => {
  it('returns the occupied cells of the 27-neighbourhood, own cell first, faces before edges before corners', () => {
    const n = 3000;
    const positions = randomCloud(n, 5, 0.4);
    const grid = buildVoxelGrid(positions, n, 0.1);
    const out = new Int32Array(27);
    const rank = (id: number, c: number) => {
      const d = [0, 1, 2].map((a) => Math.abs(grid.cellCoords[id * 3 + a]! - grid.cellCoords[c * 3 + a]!));
      return d[0]! + d[1]! + d[2]!;
    };
    for (let c = 0; c < grid.cellCount; c++) {
      const found = Array.from(out.subarray(0, neighbourCells(grid, c, out)));
      const expected: number[] = [];
      for (let id = 0; id < grid.cellCount; id++) {
        if ([0, 1, 2].every((a) => Math.abs(grid.cellCoords[id * 3 + a]! - grid.cellCoords[c * 3 + a]!) <= 1)) expected.push(id);
      }
      expect(found[0]).toBe(c);
      expect([...found].sort((a, b) => a - b)).toEqual(expected);
      for (let i = 1; i < found.length; i++) expect(rank(found[i]!, c)).toBeGreaterThanOrEqual(rank(found[i - 1]!, c));
    }
    expect(NEIGHBOUR_OFFSETS).toHaveLength(27);
    expect(NEIGHBOUR_OFFSETS[0]).toEqual([0, 0, 0]);
  });
});

describe('coarsenCells', () => {
  it('groups cells under ⌊key / 4⌋ (negative keys too), with 4× the edge', () => {
    const coords = new Int32Array([-1, 0, 0, -4, 3, 0, -5, 0, 0, 3, 3, 3, 4, 0, 0]);
    const level = coarsenCells(coords, 5, 0.5);
    expect(level.cellSize).toBe(2);
    const parentKeys = Array.from({ length: level.cellCount }, (_, p) => Array.from(level.cellCoords.subarray(p * 3, p * 3 + 3)));
    expect(parentKeys).toEqual([
      [-1, 0, 0],
      [-2, 0, 0],
      [0, 0, 0],
      [1, 0, 0],
    ]);
    const childrenOf = (p: number) => Array.from(level.children.subarray(level.childStart[p], level.childStart[p + 1]));
    expect([0, 1, 2, 3].map(childrenOf)).toEqual([[0, 1], [2], [3], [4]]);
  });
});
