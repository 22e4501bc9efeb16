/**
 * "Use local model files": ONNX files (and a CLIP tokenizer.json) dropped on the page become
 * manifest entries, so they load through the same loader, signature and space checks as published
 * models. Kind and embedding dimension are read from the models themselves (input names, one probe
 * run); their space is "local", so local text and local student models compare with each other and
 * are refused against the published ones.
 */
import type { ModelEntry, ModelManifest } from '../core/models/manifest.ts';
import { clipSpecialIds, createClipTokenizer } from '../core/text/clipTokenizer.ts';
import { sha256Hex } from './modelLoader.ts';
import { createOrtSession } from './ortRuntime.ts';

export const LOCAL_SPACE = 'local (dropped model files)';

export interface LocalModelFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface LocalModels {
  /** The base manifest with the dropped models added and made the defaults of their kinds. */
  readonly manifest: ModelManifest;
  /** Bytes by `local:` URL, for the loader's readLocalFile. */
  readonly bytes: ReadonlyMap<string, Uint8Array>;
  readonly summary: string;
}

export async function describeLocalModels(
  files: readonly LocalModelFile[],
  base: ModelManifest,
  hash: (b: Uint8Array) => Promise<string> = sha256Hex,
): Promise<LocalModels> {
  const onnx = files.filter((f) => f.name.toLowerCase().endsWith('.onnx'));
  const tokenizerFile = files.find((f) => f.name.toLowerCase().endsWith('tokenizer.json'));
  const others = files.filter((f) => !onnx.includes(f) && f !== tokenizerFile);
  if (others.length > 0) throw new Error(`${others[0]!.name}: expected only .onnx model files and a tokenizer.json among the model files`);
  if (onnx.length === 0) throw new Error(`${tokenizerFile?.name ?? 'model files'}: no .onnx model among the dropped model files`);
  const bytes = new Map<string, Uint8Array>();
  const entries: ModelEntry[] = [];
  const notes: string[] = [];
  for (const file of onnx) {
    const session = await createOrtSession(file.bytes, 'wasm');
    try {
      const url = `local:${file.name}`;
      bytes.set(url, file.bytes);
      const common = {
        id: `local:${file.name}`,
        file: url,
        sha256: await hash(file.bytes),
        bytes: file.bytes.length,
        space: LOCAL_SPACE,
        license: 'unknown (local file)',
        description: `dropped file ${file.name}`,
      };
      if (session.inputNames.includes('input_ids')) {
        if (!tokenizerFile) throw new Error(`${file.name}: a CLIP text encoder (input "input_ids") needs its tokenizer.json dropped with it`);
        const json: unknown = JSON.parse(new TextDecoder().decode(tokenizerFile.bytes));
        const spec = clipSpecialIds(json, tokenizerFile.name);
        const ids = createClipTokenizer(json, spec).encodeBatch(['a photo']);
        const output = session.outputNames.includes('text_embeds') ? 'text_embeds' : session.outputNames[0]!;
        const probe = await session.run({ input_ids: { type: 'int64', data: ids, dims: [1, spec.contextLength] } });
        const dim = probe[output]!.dims[1]!;
        const tokenizerUrl = `local:${tokenizerFile.name}`;
        bytes.set(tokenizerUrl, tokenizerFile.bytes);
        entries.push({
          ...common,
          kind: 'clip-text',
          inputs: [{ name: 'input_ids', dtype: 'int64', shape: ['batch', spec.contextLength] }],
          outputs: [{ name: output, dtype: 'float32', shape: ['batch', dim] }],
          embeddingDim: dim,
          tokenizer: { file: tokenizerUrl, sha256: await hash(tokenizerFile.bytes), ...spec },
        });
        notes.push(`${file.name} (text encoder, ${dim}-d)`);
      } else if (session.inputNames.includes('positions') && session.inputNames.includes('colors')) {
        const output = session.outputNames.includes('features') ? 'features' : session.outputNames[0]!;
        const windows = windowSpecOf(file.bytes);
        // A windowed student takes [windows, W, 3]; a per-point one [N, 3].
        const probeDims = windows ? [1, windows.size, 3] : [1, 3];
        const probe = await session.run({
          positions: { type: 'float32', data: new Float32Array(probeDims.reduce((a, b) => a * b, 1)), dims: probeDims },
          colors: { type: 'float32', data: new Float32Array(probeDims.reduce((a, b) => a * b, 1)), dims: probeDims },
        });
        const dim = probe[output]!.dims[probeDims.length - 1]!;
        const lead: (string | number)[] = windows ? ['windows', windows.size] : ['N'];
        entries.push({
          ...common,
          kind: 'student3d',
          inputs: [
            { name: 'positions', dtype: 'float32', shape: [...lead, 3] },
            { name: 'colors', dtype: 'float32', shape: [...lead, 3] },
          ],
          outputs: [{ name: output, dtype: 'float32', shape: [...lead, dim] }],
          embeddingDim: dim,
          preprocess: { positions: 'world-metres', colors: 'rgb-0-1', ...(windows ? { windows } : {}) },
        });
        notes.push(`${file.name} (3D student, ${dim}-d)`);
      } else {
        throw new Error(
          `${file.name}: not a CLIP text encoder (input "input_ids") nor a 3D student (inputs "positions", "colors"); its inputs are [${session.inputNames.join(', ')}]`,
        );
      }
    } finally {
      await session.release();
    }
  }
  const defaults = { ...base.defaults };
  for (const e of entries) defaults[e.kind] = e.id;
  return {
    manifest: { ...base, models: [...base.models.filter((m) => !entries.some((e) => e.id === m.id)), ...entries], defaults },
    bytes,
    summary: `local models: ${notes.join(', ')}`,
  };
}

/**
 * Windowed students exported by models/student/exportOnnx.ts carry their window pre-processing in
 * the model's doc string ("fieldlens-windows size=W order=morton grid=G"); protobuf keeps strings
 * as raw UTF-8, so it can be read from the bytes without an ONNX parser.
 */
export function windowSpecOf(bytes: Uint8Array): { size: number; order: 'morton'; grid: number } | null {
  const match = /fieldlens-windows size=(\d+) order=morton grid=([0-9.eE+-]+)/.exec(new TextDecoder('latin1').decode(bytes));
  if (!match) return null;
  const size = Number(match[1]);
  const grid = Number(match[2]);
  return Number.isInteger(size) && size > 0 && grid > 0 ? { size, order: 'morton', grid } : null;
}
