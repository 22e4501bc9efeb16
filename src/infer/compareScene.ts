/**
 * The second scene of *Compare with…* (SparseDFF's cross-scene correspondence): a cloud with its
 * own engine (so its features are computed by the same models, in the same space, and stay in the
 * worker), checked on load to share the shown scene's feature space. A double-clicked point's
 * feature is compared with every point of both scenes; its k best matches in the other scene are
 * returned with their positions (metres, that scene's world frame).
 */
import type { CaptureFile } from '../core/capture/captureFiles.ts';
import type { CaptureSettings } from '../core/capture/captureSettings.ts';
import { loadCapture, type LoadedCapture } from '../core/capture/loadCapture.ts';
import type { PointCloud } from '../core/lift/pointCloud.ts';
import { similarityToVector, topMatches } from '../core/match/rowMatch.ts';
import type { ModelSource } from './loadedModels.ts';
import { requireSameFeatureSpace, selectedFeatures, type FeatureAccess } from './featureAccess.ts';
import { SceneEngine } from './sceneEngine.ts';

export type CompareSide = 'main' | 'other';

export interface CrossSceneMatch {
  /** Index into the other scene's points. */
  readonly index: number;
  readonly similarity: number;
  /** Metres, the other scene's world frame. */
  readonly position: readonly [number, number, number];
}

export interface CrossSceneMatches {
  /** The side the picked point belongs to; matches are in the opposite one. */
  readonly from: CompareSide;
  readonly index: number;
  /** Similarity of every point of each scene to the picked point's feature. */
  readonly mainSimilarity: Float32Array;
  readonly otherSimilarity: Float32Array;
  readonly matches: readonly CrossSceneMatch[];
  readonly matchMs: number;
}

const positionOf = (cloud: PointCloud, i: number): [number, number, number] => [
  cloud.positions[3 * i]!,
  cloud.positions[3 * i + 1]!,
  cloud.positions[3 * i + 2]!,
];

export class CompareScene {
  private engine: SceneEngine | null = null;
  private loaded: LoadedCapture | null = null;

  constructor(private readonly source: () => Promise<ModelSource>) {}

  get current(): LoadedCapture | null {
    return this.loaded;
  }

  /**
   * Lifts `files` and computes their features; installs them only when they share the main
   * engine's feature space (else throws, and any earlier compared scene stays).
   */
  async load(
    files: readonly CaptureFile[],
    settings: CaptureSettings,
    main: SceneEngine,
    name: string,
  ): Promise<{ loaded: LoadedCapture; features: FeatureAccess }> {
    const loaded = loadCapture(files, settings);
    const engine = new SceneEngine(this.source);
    engine.setCloud(loaded.cloud, loaded.halfFeatures ?? loaded.features, loaded.capture.views ?? []);
    const [mine, theirs] = await Promise.all([selectedFeatures(main), selectedFeatures(engine)]);
    requireSameFeatureSpace(mine, theirs, name);
    this.engine = engine;
    this.loaded = loaded;
    return { loaded, features: theirs };
  }

  clear(): void {
    this.engine = null;
    this.loaded = null;
  }

  /** Point `index` of side `from`: similarity to its feature in both scenes, and its k best matches in the other. */
  async match(from: CompareSide, index: number, k: number, main: SceneEngine, mainCloud: PointCloud): Promise<CrossSceneMatches> {
    const engine = this.engine;
    const loaded = this.loaded;
    if (!engine || !loaded) throw new Error('compare: no second scene is open (use Compare with… first)');
    const [mainRows, otherRows] = await Promise.all([selectedFeatures(main), selectedFeatures(engine)]);
    requireSameFeatureSpace(mainRows, otherRows, 'the compared scene');
    const t0 = performance.now();
    const fromRows = from === 'main' ? mainRows : otherRows;
    if (!Number.isInteger(index) || index < 0 || index >= fromRows.count)
      throw new Error(`compare: point ${index} is not in the ${from} scene (${fromRows.count} points)`);
    const query = new Float32Array(fromRows.dim);
    fromRows.readRows(index, 1, query);
    const targetRows = from === 'main' ? otherRows : mainRows;
    const targetCloud = from === 'main' ? loaded.cloud : mainCloud;
    const matches = topMatches(targetRows, query, k).map((m) => ({ ...m, position: positionOf(targetCloud, m.index) }));
    return {
      from,
      index,
      mainSimilarity: similarityToVector(mainRows, query),
      otherSimilarity: similarityToVector(otherRows, query),
      matches,
      matchMs: performance.now() - t0,
    };
  }
}
