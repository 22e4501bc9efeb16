/**
 * `fieldlens tokenize "<text>"`: CLIP token ids of a phrase (start and end included, no padding)
 * with the default text model's tokenizer, or a tokenizer.json given with --tokenizer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findModel } from '../core/models/manifest.ts';
import { clipSpecialIds, createClipTokenizer } from '../core/text/clipTokenizer.ts';
import { readModelManifest } from '../node/modelSource.ts';
import { defaultManifestFile, repoRoot } from '../node/repoPaths.ts';
import { stringOption, type ParsedArgs } from './cliArgs.ts';

export function tokenizeCli(args: ParsedArgs): number {
  if (args.positional.length !== 1) throw new Error('tokenize: give exactly one phrase (quote it)');
  const manifest = readModelManifest(defaultManifestFile);
  const spec = findModel(manifest, 'clip-text').tokenizer!;
  const override = stringOption(args, 'tokenizer');
  const tokenizerPath = override ?? join(repoRoot, 'models', spec.file);
  const tokenizerJson: unknown = JSON.parse(readFileSync(tokenizerPath, 'utf8'));
  // A user's tokenizer.json names its own special tokens; the manifest's ids fit only its own file.
  const ids = createClipTokenizer(tokenizerJson, override !== undefined ? clipSpecialIds(tokenizerJson, tokenizerPath) : spec).encode(args.positional[0]!);
  process.stdout.write(args.options.has('json') ? `${JSON.stringify(ids)}\n` : `${ids.join(' ')}\n`);
  return 0;
}
