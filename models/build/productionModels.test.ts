import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseModelManifest, type ModelEntry } from '../../src/core/models/manifest.ts';
import { CLIP_B32_REVISION, PRODUCTION_MODELS } from './productionModels.ts';
import { pinnedFiles, structuralProblems, verifyPinnedFile, type PinnedFile } from './verifyManifest.ts';

const manifest = parseModelManifest(JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8')));
const byId = (id: string): ModelEntry | undefined => manifest.models.find((e) => e.id === id);

describe('production models (structure only, no network)', () => {
  it('models/manifest.json carries exactly the entries of productionModels.ts', () => {
    for (const entry of PRODUCTION_MODELS) expect(byId(entry.id)).toEqual(JSON.parse(JSON.stringify(entry)));
  });

  it.each(PRODUCTION_MODELS.map((e) => [e.id, e] as const))('%s is well-formed: hashes, sizes, pinned URLs, standard signature', (_id, entry) => {
    expect(structuralProblems(entry)).toEqual([]);
    const files = pinnedFiles(entry);
    expect(files.length).toBeGreaterThanOrEqual(2); // fp32 + fp16 (+ tokenizer for text)
    for (const f of files) expect(f.url).toContain(`/resolve/${CLIP_B32_REVISION}/`);
    expect(new Set(files.map((f) => f.sha256)).size).toBe(files.length);
  });

  it('text and image encoders share the CLIP ViT-B/32 space and 512 dims; fp16 files are about half the fp32 size', () => {
    const text = byId('clip-vit-b32-text')!;
    const image = byId('clip-vit-b32-image')!;
    expect([text.kind, image.kind]).toEqual(['clip-text', 'clip-image']);
    expect(text.space).toBe(image.space);
    expect([text.embeddingDim, image.embeddingDim]).toEqual([512, 512]);
    for (const e of [text, image]) expect(e.variants!.fp16!.bytes / e.bytes).toBeCloseTo(0.5, 1);
  });

  it('the checker catches a bad hash, a zero size, a floating branch and a wrong signature', () => {
    const text = byId('clip-vit-b32-text')!;
    const broken: ModelEntry = {
      ...text,
      sha256: 'ABC',
      bytes: 0,
      file: text.file.replace(CLIP_B32_REVISION, 'main'),
      outputs: [{ name: 'last_hidden_state', dtype: 'float32', shape: ['batch', 77, 512] }],
    };
    const problems = structuralProblems(broken).join('\n');
    expect(problems).toMatch(/sha256 must be 64/);
    expect(problems).toMatch(/byte size must be a positive integer/);
    expect(problems).toMatch(/immutable 40-hex revision/);
    expect(problems).toMatch(/outputs last_hidden_state .* expected text_embeds float32 \[batch, 512\]/);
  });
});

describe('verifyPinnedFile (streaming hash, with a stand-in fetch)', () => {
  const bytes = new TextEncoder().encode('pinned bytes');
  // sha256 of "pinned bytes", computed independently with `printf 'pinned bytes' | sha256sum`.
  const file: PinnedFile = {
    label: 'x',
    url: 'https://example.org/x',
    sha256: '977d59924a4dfd9d4e93c74467f3253786327c8c28e69a75f30cf0429dab77c7',
    bytes: bytes.length,
  };
  const serve = (body: Uint8Array, status = 200) =>
    (() => Promise.resolve(new Response(body as Uint8Array<ArrayBuffer>, { status }))) as unknown as typeof fetch;

  it('ok when size and sha256 match', async () => {
    expect(await verifyPinnedFile(file, serve(bytes))).toEqual({ status: 'ok' });
  });
  it('mismatch on other bytes of the same size, on another size, and on HTTP 404', async () => {
    expect((await verifyPinnedFile(file, serve(new TextEncoder().encode('pinned bytez')))).status).toBe('mismatch');
    expect((await verifyPinnedFile(file, serve(bytes.subarray(1)))).status).toBe('mismatch');
    expect(await verifyPinnedFile(file, serve(new Uint8Array(), 404))).toEqual({ status: 'mismatch', detail: 'HTTP 404' });
  });
  it('skipped (not failed) when the network is unreachable', async () => {
    const offline = (() => Promise.reject(new TypeError('fetch failed'))) as unknown as typeof fetch;
    expect(await verifyPinnedFile(file, offline)).toMatchObject({ status: 'skipped' });
  });
});
