/**
 * `fieldlens batch` inputs → items, one per capture: a capture file or folder; a folder of
 * captures (every top-level entry a folder or a zip → one item each); a glob (quoted, so the
 * shell leaves it alone on huge lists); a list file (`.txt` / `.lst` / `.list`: one capture path
 * per line, relative to the list's folder, `#` comments).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { globSync } from 'tinyglobby';
import { stableNames } from './batchShards.ts';

export interface BatchItem {
  /** Absolute path of the capture: the sort key. */
  readonly key: string;
  /** Stable output name (see stableNames). */
  readonly name: string;
}

const LIST_EXTENSIONS = new Set(['.txt', '.lst', '.list']);
const GLOB_CHARS = /[*?[\]{}]/;

function isFolderOfCaptures(path: string): string[] | null {
  const entries = readdirSync(path, { withFileTypes: true }).filter((e) => !e.name.startsWith('.'));
  if (entries.length === 0) throw new Error(`${path}: the folder is empty`);
  const captures = entries.filter((e) => e.isDirectory() || (e.isFile() && e.name.toLowerCase().endsWith('.zip')));
  return captures.length === entries.length ? captures.map((e) => join(path, e.name)) : null;
}

function expandOne(input: string, cwd: string, out: string[]): void {
  const path = resolve(cwd, input);
  if (!existsSync(path)) {
    if (!GLOB_CHARS.test(input)) throw new Error(`${input}: no such file or folder`);
    const matches = globSync(input, { cwd, absolute: true, onlyFiles: false, dot: false });
    if (matches.length === 0) throw new Error(`${input}: the pattern matches no file or folder`);
    out.push(...matches.map((m) => m.replace(/\/$/, '')));
    return;
  }
  if (statSync(path).isDirectory()) {
    out.push(...(isFolderOfCaptures(path) ?? [path]));
  } else if (LIST_EXTENSIONS.has(extname(path).toLowerCase())) {
    const lines = readFileSync(path, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    if (lines.length === 0) throw new Error(`${input}: the list names no capture`);
    for (const line of lines) {
      const entry = isAbsolute(line) ? line : join(dirname(path), line);
      if (!existsSync(entry)) throw new Error(`${input}: "${line}" does not exist (paths are relative to the list's folder)`);
      out.push(entry);
    }
  } else {
    out.push(path);
  }
}

/** Every capture the inputs name, once each, with its stable output name. */
export function expandBatchInputs(inputs: readonly string[], cwd = process.cwd()): BatchItem[] {
  if (inputs.length === 0) throw new Error('batch: give captures (files, folders of captures, globs or a list file)');
  const paths: string[] = [];
  for (const input of inputs) expandOne(input, cwd, paths);
  const keys = [...new Set(paths.map((p) => resolve(p)))];
  const names = stableNames(keys);
  return keys.map((key) => ({ key, name: names.get(key)! }));
}
