import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../models/build/onnxGraph.ts';
import { parseModelManifest } from '../core/models/manifest.ts';
import { repoRoot } from '../testing/realData.ts';
import { describeLocalModels, LOCAL_SPACE } from './localModels.ts';

const base = parseModelManifest(JSON.parse(readFileSync(join(repoRoot, 'models/manifest.json'), 'utf8')));
const file = (name: string, path: string) => ({ name, bytes: new Uint8Array(readFileSync(join(repoRoot, 'models/tiny', path))) });

describe('local model files', () => {
  it('recognises a text encoder with its tokenizer and a student by their inputs, with their dimensions', async () => {
    const local = await describeLocalModels(
      [file('my_text.onnx', 'clip-text-tiny.onnx'), file('tokenizer.json', 'tokenizer.json'), file('my_student.onnx', 'student3d-tiny.onnx')],
      base,
    );
    const text = local.manifest.models.find((m) => m.id === 'local:my_text.onnx')!;
    const student = local.manifest.models.find((m) => m.id === 'local:my_student.onnx')!;
    expect([text.kind, text.embeddingDim, text.space]).toEqual(['clip-text', 16, LOCAL_SPACE]);
    expect(text.tokenizer).toMatchObject({ startId: base.models.find((m) => m.kind === 'clip-text')!.tokenizer!.startId });
    expect([student.kind, student.embeddingDim, student.outputs[0]!.name]).toEqual(['student3d', 16, 'features']);
    expect(local.manifest.defaults).toEqual({ ...base.defaults, 'clip-text': 'local:my_text.onnx', student3d: 'local:my_student.onnx' });
    expect([...local.bytes.keys()].sort()).toEqual(['local:my_student.onnx', 'local:my_text.onnx', 'local:tokenizer.json']);
    // Published models stay listed; the result is still a valid manifest.
    expect(parseModelManifest(local.manifest).models.length).toBe(base.models.length + 2);
  });

  it('refuses a text encoder without its tokenizer, and an ONNX file of neither kind', async () => {
    await expect(describeLocalModels([file('t.onnx', 'clip-text-tiny.onnx')], base)).rejects.toThrow(
      /^t\.onnx: a CLIP text encoder \(input "input_ids"\) needs its tokenizer\.json/,
    );
    const g = new GraphBuilder();
    g.node('Relu', ['image'], {}, ['out']);
    const other = g.build('x', [{ name: 'image', type: 'float32', shape: [1, 3] }], [{ name: 'out', type: 'float32', shape: [1, 3] }], 'not a model of ours');
    await expect(describeLocalModels([{ name: 'resnet.onnx', bytes: other }], base)).rejects.toThrow(
      /^resnet\.onnx: not a CLIP text encoder .* its inputs are \[image\]/,
    );
  });
});
