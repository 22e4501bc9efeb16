/**
 * Bring-your-own features at real size: 1,000,000 points with 512 float16 channels (a 1 GB `.npy`
 * beside an N×3 points `.npy`) load through the capture path without a float32 copy (the stored
 * halves are the file's own bytes), are queried with a 512-d text encoder (the CLIP stand-in
 * tower, 2 layers) and export as a feature PLY expanded part by part. Every point's feature is one
 * of 8 random prototypes, so the expected cosines are computed here from the prototypes alone.
 */
import { describe, expect, it } from 'vitest';
import { ensureStandins } from '../../models/build/standins.ts';
import { loadCapture } from '../core/capture/loadCapture.ts';
import { DEFAULT_CAPTURE_SETTINGS } from '../core/capture/captureSettings.ts';
import { decodeHalves, encodeHalves } from '../core/features/float16.ts';
import { writeFeaturePly } from '../core/features/featurePlyStream.ts';
import { mulberry32 } from '../core/synth/prng.ts';
import { encodeNpy, npyHeader } from '../testing/fixtureEncoders.ts';
import { nodeModelSourceAt } from '../node/modelSource.ts';
import { ClipTextEncoder } from './loadedModels.ts';
import { SceneEngine } from './sceneEngine.ts';
import { DEFAULT_QUERY } from './queryTypes.ts';

const POINTS = 1_000_000;
const DIM = 512;
const PROTOTYPES = 8;
const prototypeOf = (i: number) => (i * 7919) % PROTOTYPES;

const random = mulberry32(2024);
const prototypeHalves = Array.from({ length: PROTOTYPES }, () => encodeHalves(Float32Array.from({ length: DIM }, () => random() * 2 - 1)));
const prototypes = prototypeHalves.map((h) => Array.from(decodeHalves(h)));
const positionAt = (i: number, axis: number) => ((i * (axis + 3)) % 1000) / 100;

/** points.npy [N, 3] float32 and features.npy [N, 512] float16, the latter written in place (1 GB). */
function captureFiles() {
  const positions = Float32Array.from({ length: POINTS * 3 }, (_, k) => positionAt(Math.floor(k / 3), k % 3));
  const header = npyHeader('<f2', [POINTS, DIM]);
  const features = new Uint8Array(header.length + POINTS * DIM * 2);
  features.set(header);
  const halves = new Uint16Array(features.buffer, header.length, POINTS * DIM);
  for (let i = 0; i < POINTS; i++) halves.set(prototypeHalves[prototypeOf(i)]!, i * DIM);
  return [
    { name: 'points.npy', bytes: encodeNpy(positions, [POINTS, 3]) },
    { name: 'features.npy', bytes: features },
  ];
}

describe('bring-your-own 512-d features on a million points', () => {
  it('load as the file’s own halves, query to the prototypes’ cosines and export every row', async () => {
    const files = captureFiles();
    const loaded = loadCapture(files, DEFAULT_CAPTURE_SETTINGS);
    expect(loaded.cloud.count).toBe(POINTS);
    expect(loaded.features).toBeUndefined();
    // No copy: the kept halves view the dropped file's bytes (2 bytes per channel, nothing else per point).
    expect(loaded.halfFeatures!.dim).toBe(DIM);
    expect(loaded.halfFeatures!.halves.buffer).toBe(files[1]!.bytes.buffer);

    const { manifestPath } = ensureStandins({ layers: 2, fp16: true });
    const engine = new SceneEngine(() => Promise.resolve(nodeModelSourceAt(manifestPath)));
    engine.setCloud(loaded.cloud, loaded.halfFeatures);
    const outcome = await engine.query({ ...DEFAULT_QUERY, text: 'a red mug', formula: 'cosine' });
    expect(outcome.featureSource).toBe('file');
    const layer = outcome.layers[0]!.values;
    expect(layer).toHaveLength(POINTS);

    // Reference: the text tower's own embedding of the phrase, against each prototype in float64.
    const text = await ClipTextEncoder.load(nodeModelSourceAt(manifestPath));
    const [embedding] = await text.encode(['a red mug']);
    const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));
    const expected = prototypes.map((p) => p.reduce((s, x, d) => s + x * embedding![d]!, 0) / (norm(p) * norm(embedding!)));
    let worst = 0;
    for (let i = 0; i < POINTS; i += 997) worst = Math.max(worst, Math.abs(layer[i]! - expected[prototypeOf(i)]!));
    expect(worst).toBeLessThan(1e-3);
    void text.release();

    // Export: header + one record per point (xyz float, rgb uchar, 512 floats), checked at sampled rows.
    const ply = await engine.featurePly();
    const stride = 12 + 3 + 4 * DIM;
    let total = 0;
    let headerBytes = 0;
    let checked = 0;
    writeFeaturePly(ply, (part) => {
      if (headerBytes === 0) {
        headerBytes = part.length;
        expect(new TextDecoder().decode(part)).toContain(`element vertex ${POINTS}\n`);
      } else {
        const view = new DataView(part.buffer, part.byteOffset, part.byteLength);
        const first = (total - headerBytes) / stride;
        for (let r = 0; r < part.length / stride; r += 1013) {
          const p = first + r;
          expect(view.getFloat32(r * stride + 4, true)).toBe(Math.fround(positionAt(p, 1)));
          for (const d of [0, 200, DIM - 1]) expect(view.getFloat32(r * stride + 15 + 4 * d, true)).toBe(prototypes[prototypeOf(p)]![d]);
          checked++;
        }
      }
      total += part.length;
    });
    expect(total).toBe(headerBytes + POINTS * stride);
    expect(checked).toBeGreaterThan(500);
  }, 600_000);
});
