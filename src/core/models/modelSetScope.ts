/**
 * A model set as the loaders see it: a manifest narrowed to the set's members, with them as the
 * defaults of their kinds, so every loader (text, image, student) picks exactly the set's models and
 * a kind the set lacks (a student, for CLIP's set) is absent instead of falling back to a model of
 * another space. Also the list of files a first use of the set downloads.
 */
import { resolveModelSet, selectModelVariant, type ModelManifest, type VariantContext } from './manifest.ts';

export function manifestForModelSet(manifest: ModelManifest, id: string, source?: string): ModelManifest {
  const { set, text, image, student } = resolveModelSet(manifest, id, source);
  return {
    format: manifest.format,
    models: [text, image, student].filter((e) => e !== undefined),
    defaults: { 'clip-text': text.id, ...(student ? { student3d: student.id } : {}), ...(image ? { 'clip-image': image.id } : {}) },
    modelSets: [set],
    defaultModelSet: set.id,
  };
}

/** One file of a model set, as the loader fetches it (path relative to the manifest, or a URL). */
export interface ModelSetFile {
  readonly modelId: string;
  readonly file: string;
  readonly sha256: string;
  /** Declared byte size; undefined for a tokenizer whose size the manifest does not give. */
  readonly bytes: number | undefined;
}

/**
 * The files the loaders will fetch for set `id` on this device: each member's fp32 file, or its fp16
 * variant where `selectModelVariant` picks it, and the text model's tokenizer.
 */
export function modelSetFiles(manifest: ModelManifest, id: string, device: (hasFp16: boolean) => VariantContext): ModelSetFile[] {
  const { text, image, student } = resolveModelSet(manifest, id);
  const files: ModelSetFile[] = [];
  for (const entry of [text, image, student]) {
    if (!entry) continue;
    const variant = selectModelVariant(entry, device(entry.variants?.fp16 !== undefined));
    const bytes = variant.precision === 'fp16' ? entry.variants!.fp16!.bytes : entry.bytes;
    files.push({ modelId: entry.id, file: variant.file, sha256: variant.sha256, bytes });
    if (entry.tokenizer) files.push({ modelId: entry.id, file: entry.tokenizer.file, sha256: entry.tokenizer.sha256, bytes: entry.tokenizer.bytes });
  }
  return files;
}

/** A download size for people: "127 kB", "3.4 MB", "608 MB". */
export function formatDownloadSize(bytes: number): string {
  if (bytes < 1e6) return `${Math.round(bytes / 1e3)} kB`;
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
}
