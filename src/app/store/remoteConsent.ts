/**
 * `?scene=` and `?models=` may name URLs on another origin: a link can make the page fetch from any
 * host, so such loads are shown to the user (what, and from which host) and wait for a yes before
 * anything is fetched; same-origin URLs load directly. Its own small store beside useFieldLens;
 * this module is its only writer, the dialog (RemoteConsentDialog) its only reader.
 */
import { create } from 'zustand';

export interface RemoteLoad {
  /** What the URL is for, e.g. "scene" or "model manifest". */
  readonly what: string;
  readonly url: string;
  /** The other origin's host (with its port), shown to the user. */
  readonly host: string;
}

interface RemoteConsentState {
  /** Loads waiting for the user's answer; empty when nothing is asked. */
  pending: readonly RemoteLoad[];
}

export const useRemoteConsent = create<RemoteConsentState>()(() => ({ pending: [] }));

let answer: ((yes: boolean) => void) | null = null;

/** Origins the user said yes to in this tab (session storage): a reload of the same link does not ask again. */
const ACCEPTED_KEY = 'fieldlens.acceptedOrigins';

function acceptedOrigins(): string[] {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(ACCEPTED_KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function rememberAccepted(loads: readonly RemoteLoad[]): void {
  try {
    sessionStorage.setItem(ACCEPTED_KEY, JSON.stringify([...new Set([...acceptedOrigins(), ...loads.map((l) => new URL(l.url).origin)])]));
  } catch {
    // storage blocked: asked again on the next load
  }
}

/**
 * The loads among `loads` whose URL is on another origin than `pageOrigin` and not yet accepted in
 * this tab (unparseable URLs are left to the loader's error).
 */
export function crossOriginLoads(loads: readonly { what: string; url: string }[], pageOrigin: string): RemoteLoad[] {
  const accepted = acceptedOrigins();
  return loads.flatMap(({ what, url }) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return [];
    }
    return parsed.origin === pageOrigin || accepted.includes(parsed.origin) ? [] : [{ what, url, host: parsed.host || parsed.protocol }];
  });
}

/** Shows the loads and resolves with the user's answer (true: fetch them). */
export function askRemoteConsent(loads: readonly RemoteLoad[]): Promise<boolean> {
  answer?.(false);
  useRemoteConsent.setState({ pending: loads });
  return new Promise((resolve) => {
    answer = resolve;
  });
}

export function answerRemoteConsent(yes: boolean): void {
  if (yes) rememberAccepted(useRemoteConsent.getState().pending);
  useRemoteConsent.setState({ pending: [] });
  const resolve = answer;
  answer = null;
  resolve?.(yes);
}
