/**
 * `fieldlens match`: bring-your-own random features against a rigidly moved, shuffled copy of the
 * same cloud — every queried point's best match is its moved twin (the reference is the known
 * transform and permutation) — and the command line's JSON shape.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { captureSettings } from '../core/capture/captureSettings.ts';
import { encodeNpy } from '../core/formats/npyEncode.ts';
import { mulberry32 } from '../core/synth/prng.ts';
import { defaultManifestFile } from '../node/repoPaths.ts';
import { readInputs } from './cliArgs.ts';
import { main } from './main.ts';
import { parsePointList, runMatchCommand } from './matchCommand.ts';

const N = 4000;
const D = 32;

/** Writes a points .npy (N×3) and a features .npy (N×D) into a new folder. */
function writeCloud(dir: string, positions: Float32Array, features: Float32Array): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'points.npy'), encodeNpy(positions, [positions.length / 3, 3]));
  writeFileSync(join(dir, 'features.npy'), encodeNpy(features, [positions.length / 3, D]));
  return dir;
}

function scenes() {
  const random = mulberry32(7);
  const positions = Float32Array.from({ length: 3 * N }, () => random() * 2 - 1);
  const features = Float32Array.from({ length: N * D }, () => random() * 2 - 1);
  // Target: rotated 30° about z, moved (0.5, −0.2, 1) m, points shuffled.
  const order = Array.from({ length: N }, (_, i) => i).sort(() => random() - 0.5);
  const twinOf = new Int32Array(N);
  const a = Math.PI / 6;
  const moved = new Float32Array(3 * N);
  const movedFeatures = new Float32Array(N * D);
  order.forEach((source, j) => {
    twinOf[source] = j;
    const [x, y, z] = [positions[3 * source]!, positions[3 * source + 1]!, positions[3 * source + 2]!];
    moved.set([Math.cos(a) * x - Math.sin(a) * y + 0.5, Math.sin(a) * x + Math.cos(a) * y - 0.2, z + 1], 3 * j);
    movedFeatures.set(features.subarray(source * D, (source + 1) * D), j * D);
  });
  const dir = mkdtempSync(join(tmpdir(), 'fieldlens-match-'));
  return { reference: writeCloud(join(dir, 'reference'), positions, features), target: writeCloud(join(dir, 'target'), moved, movedFeatures), twinOf, moved };
}

describe('fieldlens match', () => {
  it('finds the moved twin of every queried point (random bring-your-own features, rigid copy, shuffled)', async () => {
    const s = scenes();
    const points = Array.from({ length: 60 }, (_, j) => (j * 67) % N);
    const result = await runMatchCommand({
      reference: { files: readInputs([s.reference]), capture: captureSettings() },
      target: { files: readInputs([s.target]), capture: captureSettings() },
      points,
      k: 3,
      prune: false,
      refine: false,
      models: { manifestPath: defaultManifestFile },
    });
    expect(result.featureSource).toBe('file');
    for (const q of result.queries) {
      const twin = s.twinOf[q.point]!;
      expect(q.matches[0]!.index).toBe(twin);
      expect(q.matches[0]!.similarity).toBeCloseTo(1, 5);
      expect(q.matches[0]!.position.map((v) => Math.round(v * 1e5))).toEqual([0, 1, 2].map((c) => Math.round(s.moved[3 * twin + c]! * 1e5)));
      expect(q.matches).toHaveLength(3);
    }
  }, 60_000);

  it('prints { matches: [{ index, similarity, position }] } with --json, and refuses a bad --points file by entry', async () => {
    const s = scenes();
    const stdout: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (stdout.push(String(chunk)), true));
    expect(await main(['match', s.reference, s.target, '--point', '5', '--k', '2', '--json'])).toBe(0);
    vi.restoreAllMocks();
    const out = JSON.parse(stdout.join('')) as { matches: { index: number; similarity: number; position: number[] }[] };
    expect(out.matches.map((m) => m.index)[0]).toBe(s.twinOf[5]);
    expect(Object.keys(out.matches[0]!).sort()).toEqual(['index', 'position', 'similarity']);
    expect(out.matches).toHaveLength(2);
    expect(parsePointList('3, 4\n5', 'p.txt')).toEqual([3, 4, 5]);
    expect(parsePointList('[7, 8]', 'p.json')).toEqual([7, 8]);
    expect(() => parsePointList('3 x', 'p.txt')).toThrow('p.txt: entry 2 is not a point index (a whole number ≥ 0), found "x"');
  }, 60_000);
});
