/**
 * What a text query asks for and what it returns: shared by the scene engine, the worker
 * protocol, the page and the CLI.
 */
import type { Instance } from '../core/query/clustering.ts';
import { DEFAULT_FORMULA, type RelevancyKind } from '../core/query/formulaTable.ts';
import type { PromptTemplateSet } from '../core/query/prompts.ts';
import type { ScalarRange } from '../core/query/relevancy.ts';
import type { ExecutionBackend } from './ortRuntime.ts';
import type { ModelPrecision } from '../core/models/manifest.ts';

export type QueryMode = 'relevancy' | 'labels';

export interface QueryRequest {
  /**
   * relevancy: positives separated by ";" ("mug; plate"), an entry "not …" is a negative;
   * labels: a label set separated by "," ("mug, plate, bottle").
   */
  readonly text: string;
  readonly mode: QueryMode;
  /** raw cosine | LERF pairwise-min against negatives | DROP-CLIP paired softmax. */
  readonly formula: RelevancyKind;
  readonly template: PromptTemplateSet;
  /** Extra negatives, separated by "," or ";"; they join the canonical set. */
  readonly negatives?: string;
  /**
   * Instances are the connected components (2 cm voxels by default) of the points whose
   * min–max normalised relevancy of the first layer exceeds this; absent = no instances.
   */
  readonly threshold?: number;
  /** Query this feature set ('student', 'file', a teacher run) instead of the active one. */
  readonly featureSet?: string;
}

export interface QueryTimings {
  readonly modelLoadMs: number;
  readonly studentMs: number;
  readonly textMs: number;
  readonly relevancyMs: number;
  readonly segmentationMs: number;
  readonly totalMs: number;
}

export interface RelevancyLayer {
  readonly label: string;
  /** One value per point, in cloud order. */
  readonly values: Float32Array;
  readonly range: ScalarRange;
}

export interface QueryOutcome {
  readonly mode: QueryMode;
  /** mode relevancy: one layer per positive. */
  readonly layers: readonly RelevancyLayer[];
  /** mode labels: label index per point (−1 = background: a negative won). */
  readonly labels: { readonly names: readonly string[]; readonly perPoint: Int32Array } | null;
  readonly instances: readonly Instance[];
  /** Instance id per point (−1 = none), when a threshold was given. */
  readonly instanceIds: Int32Array | null;
  readonly negatives: readonly string[];
  readonly backend: ExecutionBackend;
  /** Why the models ran on another backend than asked (WebGPU lost mid-run, or no adapter); null when as asked. */
  readonly backendNote: string | null;
  /** Precision the text encoder ran in: fp16 only on WebGPU with shader-f16 and a manifest fp16 variant. */
  readonly precision: ModelPrecision;
  readonly timings: QueryTimings;
  readonly modelIds: { readonly text: string; readonly student: string | null };
  /** Where the per-point features came from: the 3D student, the loaded file's own features, or the teacher. */
  readonly featureSource: FeatureSetId;
}

/** The per-point feature sets a scene can have: the 3D student's, the multi-view CLIP teacher's, the file's own. */
export type FeatureSetId = 'student' | 'teacher' | 'file' | 'refined';

export interface FeatureSetInfo {
  readonly id: FeatureSetId;
  readonly dim: number;
  /** The embedding space (manifest `space`, or "file" for bring-your-own features of unknown origin). */
  readonly space: string;
  /** What produced it, e.g. the model id, "teacher (clip-image-tiny, fusion pixels)" or the file's properties. */
  readonly source: string;
}

export const DEFAULT_QUERY: Omit<QueryRequest, 'text'> = { mode: 'relevancy', formula: DEFAULT_FORMULA, template: 'single' };

/** The inference stages a query reports progress for (the text stage includes tokenizing). */
export type InferenceStage = 'text-encode' | 'student' | 'relevancy' | 'clustering';

/** One stage starting (`ms` null) or finishing (`ms` = how long it took), in run order. */
export interface StageProgress {
  readonly status: 'stage';
  readonly stage: InferenceStage;
  readonly ms: number | null;
}

/** Instances re-made from a stored relevancy layer at a new threshold (no model re-run). */
export interface ClusteredInstances {
  readonly instances: readonly Instance[];
  /** Instance id per point (−1 = none), transferred. */
  readonly instanceIds: Int32Array;
  readonly clusteringMs: number;
}
