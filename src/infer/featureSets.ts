/**
 * The feature sets of the current cloud, and the one path that builds a feature field:
 *
 * - 'file': per-point features the cloud brought (PLY extra properties, N×D .npy), at least
 *   MIN_EMBEDDING_DIM wide, stored once as fp16 when the cloud is set;
 * - 'student': the 3D student's per-point features, computed on first use, stored as fp16;
 * - 'teacher': the multi-view teacher's features in its own form (one row per segment + the
 *   per-point segment index), set by the teacher service;
 * - 'refined': another set refined by a trained linear map (refineService.ts), stored as fp16.
 *
 * Owns the cloud the sets belong to and which set is selected. Every field is keyed by its cloud:
 * a result computed for a cloud that was replaced meanwhile is returned but never kept.
 */
import type { PointCloud } from '../core/lift/pointCloud.ts';
import { MIN_EMBEDDING_DIM, type HalfPointFeatures, type PointFeatures } from '../core/units.ts';
import type { FeatureProvenance } from '../core/export/featurePly.ts';
import { halfFeatures, halfFeaturesFromFloat32, type CompactFeatures } from '../core/features/featureStores.ts';
import { subsetStore } from '../core/features/storeSubset.ts';
import type { ModelCache } from './modelCache.ts';
import type { FeatureSetId, FeatureSetInfo } from './queryTypes.ts';

const FEATURE_SET_IDS: readonly FeatureSetId[] = ['student', 'teacher', 'file', 'refined'];

export interface FeatureField {
  readonly cloud: PointCloud;
  readonly id: FeatureSetId;
  readonly store: CompactFeatures;
  /** The embedding space (manifest `space`), or 'file' for bring-your-own features of unknown origin. */
  readonly space: string;
  /** What produced it, for the UI ("teacher (clip-image-tiny, objects, fusion pixels)", a model id…). */
  readonly description: string;
  readonly provenance: FeatureProvenance;
  /** How long computing it took (the student's inference), 0 when it was given. */
  readonly computeMs: number;
}

/** The sets of one cloud as they were, to come back to (point pruning works from it and undoes to it). */
export interface FeatureSetsSnapshot {
  readonly cloud: PointCloud;
  readonly fields: ReadonlyMap<FeatureSetId, FeatureField>;
  readonly selected: FeatureSetId | null;
  /** The set in use when the snapshot was taken. */
  readonly active: FeatureSetId;
}

export class FeatureSets {
  private cloud: PointCloud | null = null;
  private readonly fields = new Map<FeatureSetId, FeatureField>();
  /** The student's run in flight for the current cloud, so concurrent tasks share it. */
  private studentRun: Promise<FeatureField> | null = null;
  /** null = the file's own features when it has them, else the student's. */
  private selected: FeatureSetId | null = null;

  constructor(private readonly models: ModelCache) {}

  /** A new cloud: every set of the old one is dropped; `features` become the 'file' set when wide enough. */
  setCloud(cloud: PointCloud, features?: PointFeatures | HalfPointFeatures): void {
    const values = features && ('halves' in features ? features.halves : features.values);
    if (features && values!.length !== cloud.count * features.dim) {
      throw new Error(`features: ${values!.length / features.dim} rows of ${features.dim} for ${cloud.count} points`);
    }
    this.cloud = cloud;
    this.fields.clear();
    this.studentRun = null;
    this.selected = null;
    if (features && features.dim >= MIN_EMBEDDING_DIM) {
      const names = features.names;
      this.fields.set('file', {
        cloud,
        id: 'file',
        store: 'halves' in features ? halfFeatures(features.halves, features.dim) : halfFeaturesFromFloat32(features.values, features.dim),
        space: 'file',
        description: names.length > 0 ? `${names[0]}…${names[names.length - 1]}` : `${features.dim} columns`,
        provenance: { space: 'file', source: 'file' },
        computeMs: 0,
      });
    }
  }

  snapshot(): FeatureSetsSnapshot {
    if (!this.cloud) throw new Error('feature sets: no point cloud is loaded');
    return { cloud: this.cloud, fields: new Map(this.fields), selected: this.selected, active: this.activeId() };
  }

  /**
   * Makes a snapshot's sets current again; with `subset`, on the subset's cloud, every set keeping
   * the rows of the kept points (indices into the snapshot's cloud), the same set selected.
   */
  restore(snapshot: FeatureSetsSnapshot, subset?: { readonly cloud: PointCloud; readonly kept: Uint32Array }): void {
    const cloud = subset?.cloud ?? snapshot.cloud;
    this.cloud = cloud;
    this.studentRun = null;
    this.selected = snapshot.selected;
    this.fields.clear();
    for (const [id, field] of snapshot.fields) this.fields.set(id, subset ? { ...field, cloud, store: subsetStore(field.store, subset.kept) } : field);
  }

  /** The student's features are dropped (its model changed); the next use computes them again. */
  forgetStudent(): void {
    this.fields.delete('student');
    this.studentRun = null;
  }

  /** The teacher's features of `cloud` (ignored when the cloud was replaced meanwhile). */
  setTeacher(cloud: PointCloud, store: CompactFeatures, space: string, description: string, provenance: FeatureProvenance): void {
    if (cloud !== this.cloud) return;
    this.fields.set('teacher', { cloud, id: 'teacher', store, space, description, provenance, computeMs: 0 });
  }

  /** A refinement of set `from` of `cloud` (ignored when the cloud was replaced meanwhile), in `from`'s space. */
  setRefined(cloud: PointCloud, store: CompactFeatures, from: FeatureField): void {
    if (cloud !== this.cloud) return;
    this.fields.set('refined', { ...from, id: 'refined', store, description: `${from.id} refined (${from.description})`, computeMs: 0 });
  }

  /** The set queries, PCA, similarity and export use when none is named. */
  activeId(): FeatureSetId {
    return this.selected ?? (this.fields.has('file') ? 'file' : 'student');
  }

  select(id: FeatureSetId): void {
    this.requireAvailable(id);
    this.selected = id;
  }

  /** Whether `id` is ready for the current cloud (no model run needed). */
  isReady(id: string): boolean {
    return this.fields.get(id as FeatureSetId)?.cloud === this.cloud && this.cloud !== null;
  }

  /** The field of set `id` of the current cloud; the student's is computed on first use. */
  async field(id: string): Promise<FeatureField> {
    const cloud = this.cloud;
    if (!cloud || cloud.count === 0) throw new Error(`feature set "${id}": no point cloud is loaded`);
    const setId = this.requireAvailable(id);
    const known = this.fields.get(setId);
    if (known) return known;
    // Only the student's set is computed on demand (requireAvailable refused the others).
    this.studentRun ??= this.computeStudent(cloud);
    return this.studentRun;
  }

  /** Whether the model source has a 3D student (a model set in CLIP's space may have none yet). */
  async hasStudent(): Promise<boolean> {
    return (await this.studentEntry()) !== undefined;
  }

  private async studentEntry() {
    const source = await this.models.source();
    return source.manifest.models.find((m) => m.id === (source.modelIds?.student ?? source.manifest.defaults.student3d));
  }

  /** The sets the current scene offers (the student's when the model source has one: it is computed on demand). */
  async infos(): Promise<FeatureSetInfo[]> {
    const sets: FeatureSetInfo[] = [];
    const student = await this.studentEntry();
    if (student) sets.push({ id: 'student', dim: student.embeddingDim, space: student.space, source: student.id });
    for (const id of ['teacher', 'file', 'refined'] as const) {
      const f = this.fields.get(id);
      if (f) sets.push({ id, dim: f.store.dim, space: f.space, source: f.description });
    }
    return sets;
  }

  private requireAvailable(id: string): FeatureSetId {
    if (id === 'student' || this.fields.has(id as FeatureSetId)) return id as FeatureSetId;
    const known = FEATURE_SET_IDS.filter((k) => k === 'student' || this.fields.has(k)).join(', ');
    const hint: Partial<Record<string, string>> = {
      teacher: ': run the teacher on this scene first',
      file: ': the loaded cloud brought no per-point features',
      refined: ': refine the features first',
    };
    throw new Error(`feature set "${id}" is not available for this scene (known: ${known})${hint[id] ?? ''}`);
  }

  private async computeStudent(cloud: PointCloud): Promise<FeatureField> {
    try {
      const student = await this.models.student();
      const t0 = performance.now();
      // Stops between runs once a drop has replaced the cloud: its features would be dropped anyway.
      const halves = await student.infer(cloud.positions, cloud.colors, cloud.count, () => this.cloud === cloud);
      const field: FeatureField = {
        cloud,
        id: 'student',
        store: halfFeatures(halves, student.entry.embeddingDim),
        space: student.entry.space,
        description: student.entry.id,
        provenance: { space: student.entry.space, source: 'student', model: student.entry.id },
        computeMs: performance.now() - t0,
      };
      // A drop may have replaced the cloud while the student ran: keep the field only if still current.
      if (this.cloud === cloud) this.fields.set('student', field);
      return field;
    } finally {
      if (this.cloud === cloud) this.studentRun = null;
    }
  }
}
