/**
 * The scene engine: owns the current point cloud and its per-point features, and answers text
 * queries. It runs inside the scene worker (and under Node for the CLI and tests). Features never
 * leave it — only per-point scalars (relevancy) do.
 *
 * Invariant: `cloud` is replaced only after a new one has been fully parsed and lifted, so a bad
 * drop never destroys the scene already loaded.
 */
import type { PointCloud } from '../core/lift/pointCloud.ts';
import { cosineRelevancy, scalarRange, type ScalarRange } from '../core/query/relevancy.ts';
import { ClipTextEncoder, Student3d, type ModelSource } from './loadedModels.ts';
import type { ExecutionBackend } from './ortRuntime.ts';

export interface QueryTimings {
  readonly modelLoadMs: number;
  readonly studentMs: number;
  readonly textMs: number;
  readonly relevancyMs: number;
  readonly totalMs: number;
}

export interface QueryOutcome {
  /** Cosine relevancy per point, in cloud order. The caller owns it. */
  readonly relevancy: Float32Array;
  readonly range: ScalarRange;
  readonly backend: ExecutionBackend;
  readonly timings: QueryTimings;
  readonly modelIds: { readonly text: string; readonly student: string };
}

export class SceneEngine {
  private cloud: PointCloud | null = null;
  /** Features of `cloud`, computed lazily by the student; keyed by the cloud they belong to. */
  private features: { readonly cloud: PointCloud; readonly values: Float32Array } | null = null;
  private models: Promise<{ text: ClipTextEncoder; student: Student3d }> | null = null;

  /** `source` is asked for lazily, on the first query, so a scene can load before any model. */
  constructor(private readonly source: () => Promise<ModelSource>) {}

  setCloud(cloud: PointCloud): void {
    this.cloud = cloud;
    this.features = null;
  }

  get pointCount(): number {
    return this.cloud?.count ?? 0;
  }

  private loadModels(): Promise<{ text: ClipTextEncoder; student: Student3d }> {
    this.models ??= (async () => {
      const source = await this.source();
      const [text, student] = await Promise.all([ClipTextEncoder.load(source), Student3d.load(source)]);
      if (text.entry.space !== student.entry.space || text.entry.embeddingDim !== student.entry.embeddingDim) {
        throw new Error(
          `text model "${text.entry.id}" lives in ${text.entry.space} (${text.entry.embeddingDim}-d) but student "${student.entry.id}" in ${student.entry.space} (${student.entry.embeddingDim}-d); they cannot be compared`,
        );
      }
      return { text, student };
    })();
    // A failed load (404, bad hash) must not stick: the next query tries again.
    this.models.catch(() => (this.models = null));
    return this.models;
  }

  async query(text: string): Promise<QueryOutcome> {
    const phrase = text.trim();
    if (phrase === '') throw new Error('query: type a phrase, e.g. "yellow dice"');
    const cloud = this.cloud;
    if (!cloud || cloud.count === 0) throw new Error('query: no point cloud is loaded');
    const t0 = performance.now();
    const { text: encoder, student } = await this.loadModels();
    const t1 = performance.now();
    let features = this.features?.cloud === cloud ? this.features.values : null;
    if (!features) {
      features = await student.infer(cloud.positions, cloud.colors, cloud.count);
      // A drop may have replaced the cloud while the student ran: cache only if still current.
      if (this.cloud === cloud) this.features = { cloud, values: features };
    }
    const t2 = performance.now();
    const [embedding] = await encoder.encode([phrase]);
    const t3 = performance.now();
    const relevancy = cosineRelevancy(features, student.entry.embeddingDim, embedding!);
    const range = scalarRange(relevancy);
    const t4 = performance.now();
    return {
      relevancy,
      range,
      backend: student.backend,
      timings: { modelLoadMs: t1 - t0, studentMs: t2 - t1, textMs: t3 - t2, relevancyMs: t4 - t3, totalMs: t4 - t0 },
      modelIds: { text: encoder.entry.id, student: student.entry.id },
    };
  }
}
