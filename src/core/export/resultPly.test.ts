import { describe, expect, it } from 'vitest';
import { parsePly } from '../formats/ply.ts';
import { encodePly } from '../formats/plyEncode.ts';
import { connectedComponentsOnVoxelGrid } from '../query/clustering.ts';
import { mulberry32 } from '../synth/prng.ts';
import { decodeResultPly, encodeResultPly, type QueryResultData } from './resultPly.ts';

/** Two blobs of points 1 m apart, random colours and relevancy; instances from the real clustering. */
function sampleResult(n: number, labelsMode: boolean) {
  const random = mulberry32(7);
  const positions = new Float32Array(n * 3);
  const colors = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const blob = i % 2;
    for (let a = 0; a < 3; a++) positions[i * 3 + a] = blob + 0.05 * random();
    for (let a = 0; a < 3; a++) colors[i * 3 + a] = Math.floor(random() * 256);
  }
  const layer = Float32Array.from({ length: n }, () => random() * 0.3 - 0.1);
  const mask = Uint8Array.from(layer, (v) => (v > 0.05 ? 1 : 0));
  const { instanceIds } = connectedComponentsOnVoxelGrid(positions, mask, 0.02 * 5);
  const result: QueryResultData = labelsMode
    ? {
        query: { text: 'mug, plate', mode: 'labels', formula: 'cosine', template: 'single', negatives: '', threshold: null },
        layers: [],
        labels: { names: ['mug', 'plate'], perPoint: Int32Array.from({ length: n }, (_, i) => (i % 3) - 1) },
        instanceIds: null,
      }
    : {
        query: { text: 'yellow dice; mug', mode: 'relevancy', formula: 'lerf', template: 'ensemble', negatives: 'table', threshold: 0.7 },
        layers: [
          { label: 'yellow dice', values: layer },
          { label: 'mug', values: Float32Array.from(layer, (v) => -v) },
        ],
        labels: null,
        instanceIds,
      };
  return { cloud: { count: n, positions, colors }, result };
}

describe('result PLY', () => {
  it('encodes int properties and comments that the reader gives back', () => {
    const bytes = encodePly(
      { positions: new Float32Array([0, 1, 2, 3, 4, 5]), scalars: [{ name: 'id', values: new Int32Array([-7, 16777216]) }], comments: ['hello world'] },
      'ascii',
    );
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('property int id\n');
    expect(text).toContain('comment hello world\n');
    expect(text).toContain('3 4 5 16777216\n');
    const back = parsePly(bytes, 'a.ply');
    expect(back.comments).toEqual(['FieldLens', 'hello world']);
    expect(Array.from(back.features!.values)).toEqual([-7, 16777216]);
    expect(() => encodePly({ positions: new Float32Array(3), comments: ['two\nlines'] }, 'ascii')).toThrow(/one line/);
  });

  for (const labelsMode of [false, true]) {
    it(`restores a ${labelsMode ? 'label-set' : 'relevancy'} result and re-encodes it to identical bytes`, () => {
      const { cloud, result } = sampleResult(500, labelsMode);
      const bytes = encodeResultPly(cloud, result);
      const points = parsePly(bytes, 'result.ply');
      expect(Array.from(points.positions)).toEqual(Array.from(cloud.positions));
      expect(Array.from(points.colors!)).toEqual(Array.from(cloud.colors));
      const decoded = decodeResultPly(points, 'result.ply');
      expect(decoded).not.toBeNull();
      const restored = decoded!.result;
      expect(decoded!.features).toBeUndefined();
      expect(restored.query).toEqual(result.query);
      expect(restored.layers.map((l) => l.label)).toEqual(result.layers.map((l) => l.label));
      restored.layers.forEach((l, k) => expect(Array.from(l.values)).toEqual(Array.from(result.layers[k]!.values)));
      expect(restored.labels?.names ?? null).toEqual(result.labels?.names ?? null);
      if (result.labels) expect(Array.from(restored.labels!.perPoint)).toEqual(Array.from(result.labels.perPoint));
      if (result.instanceIds) {
        expect(Array.from(restored.instanceIds!)).toEqual(Array.from(result.instanceIds));
        const { instances } = connectedComponentsOnVoxelGrid(
          cloud.positions,
          Uint8Array.from(result.layers[0]!.values, (v) => (v > 0.05 ? 1 : 0)),
          0.1,
        );
        expect(instances.length).toBeGreaterThan(0);
        expect(restored.instances).toEqual(instances);
      }
      const again = encodeResultPly({ count: points.count, positions: points.positions, colors: points.colors! }, restored);
      expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    });
  }

  it('leaves other PLYs alone and keeps a file’s own feature channels apart from the result columns', () => {
    const plain = parsePly(encodePly({ positions: new Float32Array(3), scalars: [{ name: 'relevancy', values: new Float32Array(1) }] }, 'ascii'), 'p.ply');
    expect(decodeResultPly(plain, 'p.ply')).toBeNull();
    const { cloud, result } = sampleResult(10, false);
    const withFeature = encodePly(
      {
        positions: cloud.positions,
        colors: cloud.colors,
        scalars: [
          { name: 'f0', values: Float32Array.from({ length: 10 }, (_, i) => i / 4) },
          { name: 'relevancy', values: result.layers[0]!.values },
          { name: 'relevancy_1', values: result.layers[1]!.values },
          { name: 'label', values: new Int32Array(10).fill(-1) },
          { name: 'instance', values: result.instanceIds! },
        ],
        comments: [`fieldlens-result ${JSON.stringify({ version: 1, text: 'x', mode: 'relevancy', threshold: 0.5, layerLabels: ['a', 'b'], labelNames: [] })}`],
      },
      'binary_little_endian',
    );
    const decoded = decodeResultPly(parsePly(withFeature, 'f.ply'), 'f.ply')!;
    expect(decoded.features?.names).toEqual(['f0']);
    expect(Array.from(decoded.features!.values)).toEqual(Array.from({ length: 10 }, (_, i) => i / 4));
    expect(decoded.result.layers.map((l) => l.label)).toEqual(['a', 'b']);
  });

  it('names the missing columns of a damaged result PLY', () => {
    const bytes = encodePly(
      { positions: new Float32Array(3), comments: ['fieldlens-result {"version":1,"text":"x","mode":"relevancy","layerLabels":["x"],"labelNames":[]}'] },
      'ascii',
    );
    expect(() => decodeResultPly(parsePly(bytes, 'd.ply'), 'd.ply')).toThrow(/d\.ply: .*relevancy, label, instance/);
    const bad = encodePly({ positions: new Float32Array(3), comments: ['fieldlens-result {oops'] }, 'ascii');
    expect(() => decodeResultPly(parsePly(bad, 'b.ply'), 'b.ply')).toThrow(/not valid JSON/);
  });
});
