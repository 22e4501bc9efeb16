/**
 * Values the studio keeps in localStorage, read back. A value another version or a hand edit left
 * unreadable (invalid JSON, wrong types) is removed and said once in the error list, and the caller
 * gets its default: the page always loads. Blocked storage (a sandboxed iframe, privacy mode)
 * reads as absent, silently.
 */
import { reportError } from './jobsSlice.ts';

/** `parse` returns undefined (or throws) for a value it cannot use. */
export function readStoredValue<T>(key: string, what: string, parse: (raw: string) => T | undefined, fallback: T): T {
  let raw: string | null;
  try {
    raw = localStorage.getItem(key);
  } catch {
    return fallback;
  }
  if (raw === null) return fallback;
  let value: T | undefined;
  try {
    value = parse(raw);
  } catch {
    value = undefined;
  }
  if (value !== undefined) return value;
  try {
    localStorage.removeItem(key);
  } catch {
    // storage blocked: nothing to reset
  }
  reportError(`${what} kept in this browser (local storage "${key}") was unreadable and has been reset to the default`);
  return fallback;
}

/** A JSON array of strings, else undefined. */
export function parseStringArray(raw: string): string[] | undefined {
  const value: unknown = JSON.parse(raw);
  return Array.isArray(value) && value.every((x) => typeof x === 'string') ? value : undefined;
}
