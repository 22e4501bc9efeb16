/**
 * The model-set picker's state: the manifest's sets, the one in use, a pending consent question and
 * the running (or failed) download with its per-file progress. Its own small store beside
 * useFieldLens; modelSetActions.ts is its only writer.
 */
import { create } from 'zustand';
import type { ModelSetInfo } from '../../../workers/scene/protocol.ts';
import type { ModelDownload } from './taskProgress.ts';

export type ModelSetDownloadState =
  | { readonly phase: 'running'; readonly id: string; readonly files: readonly ModelDownload[] }
  | { readonly phase: 'failed'; readonly id: string; readonly files: readonly ModelDownload[]; readonly message: string }
  | { readonly phase: 'cancelled'; readonly id: string; readonly files: readonly ModelDownload[] };

export interface ModelSetState {
  /** Absolute URL of the manifest the sets come from. */
  manifestUrl: string | null;
  /** Whether the manifest is the studio's own (then `?models=<set id>`), else `?models=<manifest URL>`. */
  bundledManifest: boolean;
  sets: readonly ModelSetInfo[];
  /** The set the worker uses; null until the manifest has been read. */
  active: string | null;
  /** The manifest's default set (left out of the URL). */
  defaultSet: string | null;
  /** A set that downloads, waiting for the user's yes (once per manifest and set, remembered). */
  consent: ModelSetInfo | null;
  download: ModelSetDownloadState | null;
  /** A non-error note about the last download (e.g. a corrupt cached copy was replaced). */
  notice: string | null;
}

export const useModelSets = create<ModelSetState>()(() => ({
  manifestUrl: null,
  bundledManifest: true,
  sets: [],
  active: null,
  defaultSet: null,
  consent: null,
  download: null,
  notice: null,
}));
