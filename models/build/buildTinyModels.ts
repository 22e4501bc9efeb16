/**
 * Writes FieldLens's tiny models, their tokenizer and models/manifest.json.
 *
 *   npx tsx models/build/buildTinyModels.ts      (or: npm run build:models)
 *
 * The output is deterministic and committed; models/build/tinyModels.test.ts checks that the committed
 * files equal what this script builds, so re-run it after changing anything in models/build.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTinyModelFiles } from './tinyModels.ts';
import { readTrainedStudents } from '../student/trainedStudents.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

for (const [path, bytes] of buildTinyModelFiles(readTrainedStudents())) {
  const target = join(REPO_ROOT, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, bytes);
  process.stdout.write(`wrote ${path} (${bytes.length} bytes)\n`);
}
