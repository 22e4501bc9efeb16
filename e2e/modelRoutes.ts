/**
 * A model set served from another origin, for the download tests: the studio's manifest with one
 * more set, "routed", whose members are copies of the tiny demo models at absolute URLs on
 * https://models.fieldlens.test/ (answered by Playwright route interception, so each test chooses
 * what the "server" does) or on a local stalling server.
 */
import type { Page, Route } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './helpers.ts';

export const MODEL_HOST = 'https://models.fieldlens.test';
export const ROUTED_SET = 'routed';

interface Entry {
  id: string;
  kind: string;
  file: string;
  tokenizer?: { file: string };
  variants?: unknown;
}

const base = JSON.parse(readFileSync(join(repoRoot, 'models/manifest.json'), 'utf8')) as {
  models: Entry[];
  modelSets: Record<string, unknown>[];
} & Record<string, unknown>;
const demo = base.modelSets.find((s) => s.id === 'demo')! as { text: string; image: string; student: string };

/** File name on the model host → bytes (the tiny models and tokenizer). */
export const ROUTED_FILES = new Map<string, Uint8Array>();

/** The manifest with the "routed" set; `hostFor(file)` gives each file's origin (default MODEL_HOST). */
export function routedManifest(hostFor: (file: string) => string = () => MODEL_HOST): string {
  const copies = [demo.text, demo.image, demo.student].map((id) => {
    const entry = base.models.find((m) => m.id === id)!;
    const name = entry.file.split('/').at(-1)!;
    ROUTED_FILES.set(name, readFileSync(join(repoRoot, 'models', entry.file)));
    // No fp16 variant: every device fetches the same files.
    const copy: Entry = { ...entry, id: `routed-${entry.id}`, file: `${hostFor(name)}/${name}`, variants: undefined };
    if (entry.tokenizer) {
      ROUTED_FILES.set('tokenizer.json', readFileSync(join(repoRoot, 'models', entry.tokenizer.file)));
      copy.tokenizer = { ...entry.tokenizer, file: `${hostFor('tokenizer.json')}/tokenizer.json` };
    }
    return copy;
  });
  const totalBytes = [...ROUTED_FILES.values()].reduce((n, b) => n + b.length, 0);
  const set = { id: ROUTED_SET, label: 'Routed test models (download)', space: 'fieldlens-tiny-colour-16', totalBytes };
  const members = { text: copies[0]!.id, image: copies[1]!.id, student: copies[2]!.id };
  return JSON.stringify({ ...base, models: [...base.models, ...copies], modelSets: [...base.modelSets, { ...set, ...members }] });
}

export type Behaviour = 'ok' | '404' | 'truncated' | 'wrong-hash';

const CORS = { 'access-control-allow-origin': '*', 'content-type': 'application/octet-stream' };

/**
 * Serves the manifest with the routed set and answers the model host: `behaviour(file)` decides per
 * request. Returns the list of model-host requests seen.
 */
export async function routeModels(page: Page, behaviour: (file: string) => Behaviour, manifest = routedManifest()): Promise<string[]> {
  const seen: string[] = [];
  await page.route('**/models/manifest.json', (route) => route.fulfill({ contentType: 'application/json', body: manifest }));
  await page.route(`${MODEL_HOST}/**`, (route: Route) => {
    const file = new URL(route.request().url()).pathname.slice(1);
    seen.push(file);
    const bytes = ROUTED_FILES.get(file);
    const what = behaviour(file);
    if (!bytes || what === '404') return route.fulfill({ status: 404, headers: CORS, body: 'not found' });
    if (what === 'truncated') return route.fulfill({ headers: CORS, body: Buffer.from(bytes.subarray(0, bytes.length >> 1)) });
    if (what === 'wrong-hash') {
      const wrong = Buffer.from(bytes);
      wrong[wrong.length >> 1] = wrong[wrong.length >> 1]! ^ 0xff;
      return route.fulfill({ headers: CORS, body: wrong });
    }
    return route.fulfill({ headers: CORS, body: Buffer.from(bytes) });
  });
  return seen;
}
