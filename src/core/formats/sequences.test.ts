import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { associateByTimestamp, parseRgbdMatch, parseTumFileList, poseForTimestamp } from './sequences.ts';
import { asCameraToWorld, type CameraToWorld } from '../units.ts';
import { requireRealData } from '../../testing/realData.ts';

const at = (timestamp: number, path = `f${timestamp}`) => ({ timestamp, path });

/** TUM associate.py, transcribed literally (O(n·m), dict keys = timestamps), as the reference. */
function associatePy(first: number[], second: number[], maxDifference: number): [number, number][] {
  const firstKeys = [...new Set(first)];
  const secondKeys = [...new Set(second)];
  const potential: [number, number, number][] = [];
  for (const a of firstKeys) for (const b of secondKeys) if (Math.abs(a - b) < maxDifference) potential.push([Math.abs(a - b), a, b]);
  potential.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const matches: [number, number][] = [];
  for (const [, a, b] of potential) {
    if (!usedA.has(a) && !usedB.has(b)) {
      usedA.add(a);
      usedB.add(b);
      matches.push([a, b]);
    }
  }
  return matches.sort((x, y) => x[0] - y[0]);
}

describe('associateByTimestamp', () => {
  it('pairs greedily by smallest difference, each entry used at most once', () => {
    // Candidates (|Δ| < 2.5): (10,11)=1, (13,12)=1, (10,12)=2, (13,11)=2, (13,15)=2.
    const pairs = associateByTimestamp([at(10), at(13)], [at(11), at(12), at(15)], 2.5);
    expect(pairs.map((p) => [p.a.timestamp, p.b.timestamp, p.difference])).toEqual([
      [10, 11, 1],
      [13, 12, 1],
    ]);
  });

  it('gives a contested b to the closer a (not to each a its own nearest)', () => {
    // 10.9 is the nearest b of both 10 and 11; 11 is closer, so 10 stays unmatched.
    const pairs = associateByTimestamp([at(10), at(11)], [at(10.9)], 2);
    expect(pairs.map((p) => [p.a.timestamp, p.b.timestamp])).toEqual([[11, 10.9]]);
  });

  it('uses a strict bound, like associate.py', () => {
    expect(associateByTimestamp([at(0)], [at(0.5)], 0.5)).toEqual([]);
    expect(associateByTimestamp([at(0)], [at(0.25)], 0.5)).toHaveLength(1);
  });

  it('defaults to 20 ms and handles TUM-sized timestamps and unsorted lists', () => {
    const depth = [at(1305031102.19433, 'depth/1305031102.194330.png'), at(1305031102.160407, 'depth/1305031102.160407.png')];
    const rgb = [
      at(1305031102.175304, 'rgb/1305031102.175304.png'),
      at(1305031102.211214, 'rgb/1305031102.211214.png'),
      at(1305031102.243211, 'rgb/1305031102.243211.png'),
    ];
    const pairs = associateByTimestamp(depth, rgb);
    expect(pairs.map((p) => [p.a.path, p.b.path])).toEqual([
      ['depth/1305031102.160407.png', 'rgb/1305031102.175304.png'],
      ['depth/1305031102.194330.png', 'rgb/1305031102.211214.png'],
    ]);
  });

  it('agrees with a literal transcription of associate.py on random timestamps', () => {
    const times = fc.uniqueArray(
      fc.integer({ min: 0, max: 2000 }).map((x) => x / 100),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(times, times, fc.constantFrom(0.02, 0.05, 0.3), (a, b, max) => {
        const ours = associateByTimestamp(
          a.map((t) => at(t)),
          b.map((t) => at(t)),
          max,
        ).map((p) => [p.a.timestamp, p.b.timestamp]);
        expect(ours).toEqual(associatePy(a, b, max));
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseTumFileList', () => {
  it('reads "timestamp path" lines, skipping the # header, sorted by time', () => {
    const text =
      "# color images\n# file: 'rgbd_dataset_freiburg1_xyz.bag'\n# timestamp filename\n1305031102.211214 rgb/1305031102.211214.png\n1305031102.175304 rgb/1305031102.175304.png\n";
    expect(parseTumFileList(text, 'rgb.txt')).toEqual([
      { timestamp: 1305031102.175304, path: 'rgb/1305031102.175304.png' },
      { timestamp: 1305031102.211214, path: 'rgb/1305031102.211214.png' },
    ]);
    expect(parseTumFileList('1.5,depth/a.png\r\n2.5\tdepth/b.png', 'depth.txt').map((e) => e.path)).toEqual(['depth/a.png', 'depth/b.png']);
  });

  it('names the line of a malformed entry', () => {
    expect(() => parseTumFileList('# h\nrgb/x.png 1.0\n', 'rgb.txt')).toThrow(/rgb\.txt: line 2: expected "timestamp path" .*found "rgb\/x\.png 1\.0"/);
    expect(() => parseTumFileList('1.0\n', 'rgb.txt')).toThrow(/rgb\.txt: line 1: expected "timestamp path"/);
    expect(() => parseTumFileList('# nothing\n', 'rgb.txt')).toThrow(/rgb\.txt: no frames/);
  });
});

describe('parseRgbdMatch', () => {
  it('reads depth-first pairs and recognises a colour-first line', () => {
    expect(parseRgbdMatch('depth/00000.png color/00000.jpg\n\ndepth/00001.png color/00001.jpg\n', 'rgbd.match')).toEqual([
      { depth: 'depth/00000.png', color: 'color/00000.jpg' },
      { depth: 'depth/00001.png', color: 'color/00001.jpg' },
    ]);
    expect(parseRgbdMatch('rgb/7.jpg depth/7.png', 'rgbd.match')).toEqual([{ depth: 'depth/7.png', color: 'rgb/7.jpg' }]);
  });

  it('names the line of a malformed entry', () => {
    expect(() => parseRgbdMatch('depth/0.png color/0.jpg\ndepth/1.png\n', 'rgbd.match')).toThrow(
      /rgbd\.match: line 2: expected "depth\/<name>\.png color\/<name>\.jpg" \(two paths\), found "depth\/1\.png"/,
    );
    expect(() => parseRgbdMatch('\n', 'rgbd.match')).toThrow(/rgbd\.match: no pairs/);
  });

  it('reads the real Redwood rgbd.match: depth/0000i.png with color/0000i.jpg', (ctx) => {
    const path = requireRealData(ctx, 'rgbd/redwood-tum-nyu-sun/rgbd.match');
    const pairs = parseRgbdMatch(readFileSync(path, 'utf8'), 'rgbd.match');
    expect(pairs.length).toBe(4);
    pairs.forEach((p, i) => expect(p).toEqual({ depth: `depth/0000${i}.png`, color: `color/0000${i}.jpg` }));
  });
});

describe('poseForTimestamp', () => {
  const pose = (x: number): CameraToWorld => asCameraToWorld([1, 0, 0, x, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  const gt = [10, 10.01, 10.02, 10.05, 11].map((t) => ({ timestamp: t, cameraToWorld: pose(t) }));

  it('returns the nearest pose within the bound (inclusive), else null', () => {
    expect(poseForTimestamp(gt, 10.012, 0.02)?.[3]).toBe(10.01);
    expect(poseForTimestamp(gt, 10.04, 0.02)?.[3]).toBe(10.05);
    expect(poseForTimestamp(gt, 10.5, 0.02)).toBeNull();
    expect(poseForTimestamp(gt, 9.99, 0.01)?.[3]).toBe(10);
    expect(poseForTimestamp(gt, 12, 1)?.[3]).toBe(11);
    expect(poseForTimestamp([], 1, 1)).toBeNull();
  });

  it('breaks ties toward the earlier pose and accepts unsorted lists', () => {
    const shuffled = [gt[3]!, gt[0]!, gt[4]!, gt[2]!, gt[1]!];
    expect(poseForTimestamp(shuffled, 10.5, 1)?.[3]).toBe(10.05);
    expect(
      poseForTimestamp(
        [
          { timestamp: 2, cameraToWorld: pose(2) },
          { timestamp: 1, cameraToWorld: pose(1) },
        ],
        1.5,
        1,
      )?.[3],
    ).toBe(1);
  });

  it('matches a linear scan on random sorted lists', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 30 }), fc.integer({ min: -10, max: 510 }), (stamps, t) => {
        const list = [...stamps].sort((a, b) => a - b).map((s, i) => ({ timestamp: s, cameraToWorld: pose(i) }));
        let best = -1;
        let bestDiff = Infinity;
        for (let i = 0; i < list.length; i++) {
          const d = Math.abs(list[i]!.timestamp - t);
          if (d < bestDiff) {
            bestDiff = d;
            best = i;
          }
        }
        const expected = bestDiff <= 7 ? best : null;
        const found = poseForTimestamp(list, t, 7);
        expect(found === null ? null : found[3]).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
