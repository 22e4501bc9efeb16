/**
 * One table per concept, checked by counting: each relevancy-formula name and each colour-mode
 * name is written out in at most 3 non-test source files — its table, its implementation, and at
 * most one caller that selects it. Everything else derives from the tables
 * (src/core/query/formulaTable.ts, src/app/query/colorModes.ts).
 *
 * Some colour-mode names are also words of other concepts ('labels' is a query mode, 'instances'
 * an export kind and a timing label, 'similarity' a stage name in an error message). A file counts
 * for a colour mode only when it speaks of colour modes at all (mentions `colorMode`/`ColorMode`),
 * and an occurrence compared with or assigned to a query mode (`queryMode === 'labels'`,
 * `request.mode === 'labels'`, `queryMode: 'labels'`) is that other concept. The raw counts (every
 * file with the quoted word) are printed beside, for the record.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './realData.ts';

const FORMULA_LITERALS = ['cosine', 'lerf', 'paired-softmax'];
const COLOR_MODE_LITERALS = ['relevancy', 'labels', 'instances', 'pca', 'similarity', 'agreement'];
const MAX_FILES = 3;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.(test|bench)\.tsx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => !/[\\/]src[\\/](bench|testing)[\\/]/.test(path));
}

const files = [...sourceFiles(join(repoRoot, 'src')), ...sourceFiles(join(repoRoot, 'workers'))].map((path) => ({
  path: relative(repoRoot, path).split('\\').join('/'),
  text: readFileSync(path, 'utf8'),
}));

/**
 * Every occurrence of `word` as a string literal ('word', the project's quote; double quotes are
 * JSX attributes such as class names), with the text before it on its line.
 */
function occurrences(text: string, word: string): string[] {
  const escaped = word.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  return [...text.matchAll(new RegExp(`'${escaped}'`, 'g'))].map((m) => text.slice(text.lastIndexOf('\n', m.index) + 1, m.index));
}

const rawFiles = (word: string) => files.filter((f) => occurrences(f.text, word).length > 0).map((f) => f.path);

const QUERY_MODE_BEFORE = /(queryMode|\.mode)\s*(===|!==|:)\s*$/;
const SPEAKS_OF_COLOR_MODES = /colou?rmode/i;
const colorModeFiles = (word: string) =>
  files.filter((f) => SPEAKS_OF_COLOR_MODES.test(f.text) && occurrences(f.text, word).some((before) => !QUERY_MODE_BEFORE.test(before))).map((f) => f.path);

describe('one table per concept', () => {
  it.each(FORMULA_LITERALS)(`formula '%s' is written in at most ${MAX_FILES} non-test source files`, (word) => {
    const found = rawFiles(word);
    console.log(`formula '${word}': ${found.length} files — ${found.join(', ')}`);
    expect(found.length).toBeGreaterThan(0);
    expect(found.length, found.join(', ')).toBeLessThanOrEqual(MAX_FILES);
  });

  it.each(COLOR_MODE_LITERALS)(`colour mode '%s' is written in at most ${MAX_FILES} non-test source files`, (word) => {
    const found = colorModeFiles(word);
    const raw = rawFiles(word);
    console.log(`colour mode '${word}': ${found.length} files — ${found.join(', ')} (raw, every concept: ${raw.length})`);
    expect(found).toContain('src/app/query/colorModes.ts');
    expect(found.length, found.join(', ')).toBeLessThanOrEqual(MAX_FILES);
  });
});
