/**
 * `npm run models:verify`: checks every manifest entry that names its files by URL.
 *   1. structure (always): 64-hex sha256, positive sizes, pinned revisions, the standard ONNX
 *      export signature for its kind (text: input_ids int64 [batch, 77] → text_embeds float32
 *      [batch, D]; image: pixel_values float32 [batch, 3, 224, 224] → image_embeds [batch, D]);
 *   2. bytes (when the network is reachable): streams each URL and compares size and sha256.
 *      Offline, each URL is reported as skipped and the exit status stays 0.
 * Exit status 1 on any structural problem or mismatch.
 */
import { readFileSync } from 'node:fs';
import { parseModelManifest } from '../../src/core/models/manifest.ts';
import { pinnedFiles, structuralProblems, verifyPinnedFile } from './verifyManifest.ts';

const manifestUrl = new URL('../manifest.json', import.meta.url);
const manifest = parseModelManifest(JSON.parse(readFileSync(manifestUrl, 'utf8')));
const remote = manifest.models.filter((e) => pinnedFiles(e).length > 0);
let failures = 0;
const say = (line: string): boolean => process.stdout.write(`${line}\n`);

say(`models:verify — ${remote.length} URL entries in models/manifest.json`);
for (const entry of remote) {
  const problems = structuralProblems(entry);
  failures += problems.length;
  say(
    problems.length === 0
      ? `  structure ok    ${entry.id} (${entry.kind}, ${entry.space}, ${entry.embeddingDim}-d)`
      : problems.map((p) => `  STRUCTURE FAIL  ${p}`).join('\n'),
  );
}
for (const entry of remote) {
  for (const file of pinnedFiles(entry)) {
    const outcome = await verifyPinnedFile(file);
    if (outcome.status === 'mismatch') failures++;
    const tag = outcome.status === 'ok' ? 'hash ok        ' : outcome.status === 'skipped' ? 'hash skipped   ' : 'HASH MISMATCH  ';
    say(`  ${tag} ${file.label} ${file.url}${outcome.status === 'ok' ? '' : ` — ${outcome.detail}`}`);
  }
}
say(failures === 0 ? 'models:verify: ok' : `models:verify: ${failures} problem(s)`);
process.exit(failures === 0 ? 0 : 1);
