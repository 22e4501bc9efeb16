/**
 * One table per concept, counted: each relevancy formula's name and each colour mode's name is
 * written out in at most 3 non-test source files — its table, its implementation and at most one
 * caller that selects it. The product source (src/ but benchmarks, tests and test helpers; the
 * worker) is read as text with comments stripped.
 *
 * A formula name is counted wherever it appears quoted ('lerf', 'paired-softmax', 'cosine'; the
 * point-similarity option { kind: 'cosine' } shares the last one and is counted too). Colour-mode
 * names share their words with other concepts (query modes 'relevancy' / 'labels', PCD's 'rgb'
 * field, feature stores' 'segments' kind, export kinds), so a colour mode is counted where it is
 * used as one: compared with or assigned to a `colorMode` (also within a conditional expression), passed to setColorMode, a `case` of a
 * switch (only colour modes have switch cases on these words), or its table entry's `urlName`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../node/repoPaths.ts';
import { RELEVANCY_KINDS } from '../core/query/formulaTable.ts';
import { COLOR_MODES } from '../app/query/colorModes.ts';

const SKIPPED_FOLDERS = new Set(['bench', 'testing', 'node_modules']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.(test|spec)\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The file's code without its comments (a rough strip: block comments, then line comments not inside a string). */
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$|([^:'"`])\/\/.*$/gm, '$1');

const files = [...sourceFiles(join(repoRoot, 'src')), ...sourceFiles(join(repoRoot, 'workers'))].map((path) => ({
  path: relative(repoRoot, path),
  code: withoutComments(readFileSync(path, 'utf8')),
}));

const escape = (s: string) => s.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&');

function filesMatching(pattern: RegExp): string[] {
  return files.filter((f) => pattern.test(f.code)).map((f) => f.path);
}

describe('one table per concept, counted', () => {
  it('reads the product source', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.map((f) => f.path)).toContain('src/app/query/colorModes.ts');
  });

  for (const kind of RELEVANCY_KINDS) {
    it(`formula '${kind}' is named in at most 3 source files`, () => {
      const named = filesMatching(new RegExp(`['"\`]${escape(kind)}['"\`]`));
      expect(named).toContain('src/core/query/formulaTable.ts');
      expect(named.length, named.join(', ')).toBeLessThanOrEqual(3);
    });
  }

  for (const mode of COLOR_MODES) {
    it(`colour mode '${mode}' is named in at most 3 source files`, () => {
      const q = `'${escape(mode)}'`;
      const used = new RegExp(`colorMode\\s*(?:===|!==|:)[^,;\\n]*?${q}|setColorMode\\(\\s*${q}|case\\s+${q}\\s*:|urlName:\\s*${q}`);
      const named = filesMatching(used);
      expect(named).toContain('src/app/query/colorModes.ts');
      expect(named).toContain('src/render/displayColors.ts');
      expect(named.length, named.join(', ')).toBeLessThanOrEqual(3);
    });
  }
});
