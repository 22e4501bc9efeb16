/**
 * The scene engine's loaded models: one text encoder, one 3D student and one image encoder (the
 * teacher's) per model source, opened lazily on first use and shared by every task. Owns their
 * inference sessions; `reset` releases them when the source or backend changes.
 */
import { ClipImageEncoder, ClipTextEncoder, Student3d, type ModelSource } from './loadedModels.ts';

export class ModelCache {
  private textModel: Promise<ClipTextEncoder> | null = null;
  private studentModel: Promise<Student3d> | null = null;
  private imageModel: Promise<ClipImageEncoder> | null = null;

  /** `source` is asked for lazily, on the first use, so a scene can load before any model. */
  constructor(readonly source: () => Promise<ModelSource>) {}

  text(): Promise<ClipTextEncoder> {
    this.textModel ??= this.source().then((s) => ClipTextEncoder.load(s));
    // A failed load (404, bad hash) must not stick: the next task tries again.
    this.textModel.catch(() => (this.textModel = null));
    return this.textModel;
  }

  student(): Promise<Student3d> {
    this.studentModel ??= this.source().then((s) => Student3d.load(s));
    this.studentModel.catch(() => (this.studentModel = null));
    return this.studentModel;
  }

  /** The manifest's default image encoder (kept), or the one named `id` (opened for this call). */
  image(id?: string): Promise<ClipImageEncoder> {
    if (id !== undefined) return this.source().then((s) => ClipImageEncoder.load(s, id));
    this.imageModel ??= this.source().then((s) => ClipImageEncoder.load(s));
    this.imageModel.catch(() => (this.imageModel = null));
    return this.imageModel;
  }

  /** Releases every open session; the next use opens new ones. */
  reset(): void {
    for (const model of [this.textModel, this.studentModel, this.imageModel]) void model?.then((m) => m.release()).catch(() => undefined);
    this.textModel = null;
    this.studentModel = null;
    this.imageModel = null;
  }
}
