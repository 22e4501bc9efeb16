/**
 * The one zustand store, composed of typed slices. Fields are small values only; big arrays live
 * in drawBuffers and are referenced by version numbers here. Orchestration (the worker bridge, file
 * reading) lives in the action modules, not in the store; subscriptions start in init.ts.
 */
import { create, type StateCreator } from 'zustand';
import type { Bounds3 } from '../../core/lift/pointCloud.ts';
import type { CameraView, IngestProgress, SceneViewpoint } from '../../../workers/scene/protocol.ts';
import type { BridgeStatus } from '../../../workers/scene/bridge.ts';
import type { UpAxis } from '../../core/views/framing.ts';
import type { Vec3 } from '../../core/views/cameraMath.ts';
import type { BackendPreference, ExecutionBackend } from '../../infer/ortRuntime.ts';
import type { FeatureSetId, QueryMode, QueryTimings } from '../../infer/queryTypes.ts';
import type { Instance } from '../../core/query/clustering.ts';
import { DEFAULT_FORMULA, type RelevancyKind } from '../../core/query/formulaTable.ts';
import { DEFAULT_COLOR_MODE, type ColorMode } from '../query/colorModes.ts';
import type { PromptTemplateSet } from '../../core/query/prompts.ts';
import type { LoadProgress } from '../../infer/modelLoader.ts';
import { DEFAULT_VIEW_SETTINGS, type ViewSettings } from './viewSettings.ts';
import type { ResultQuery } from '../../core/export/resultPly.ts';
import type { ModelDownload, StageState } from './taskProgress.ts';
import type { ModelPrecision } from '../../core/models/manifest.ts';
import { DEFAULT_CAPTURE_SETTINGS, type CaptureSettings } from '../../core/capture/captureSettings.ts';
import type { DepthScaleWarning } from '../../core/capture/depthUnitsCheck.ts';
import { teacherSlice, type TeacherSlice } from './teacherStore.ts';

export interface SceneSlice {
  /** Bumped whenever drawBuffers.cloud is replaced. */
  sceneVersion: number;
  pointCount: number | null;
  liftMs: number | null;
  sceneDescription: string;
  bounds: Bounds3 | null;
  /** 1st–99th percentile box of the points: what the camera frames (a few outliers don't shrink it). */
  robustBounds: Bounds3 | null;
  /** Where the viewer starts: the first input camera (row-major camera-to-world) and the detected world up. */
  viewpoint: SceneViewpoint | null;
  /** Non-fatal notes from the last load. */
  sceneWarnings: readonly string[];
  /** Points lifted and left after each filter, for the before/after display. */
  sceneCounts: { lifted: number; afterRange: number; afterVoxel: number; afterOutliers: number } | null;
  /** Input cameras of the current scene (small: a few numbers each). */
  cameras: readonly CameraView[];
  /** The scene came from a drop, so new capture settings can be re-applied to it. */
  sceneFromDrop: boolean;
  ingestProgress: IngestProgress | null;
  /** The last load's frame depth looked implausible for its depth scale (shown beside that setting). */
  depthScaleWarning: DepthScaleWarning | null;
  /** Short name of what is loaded (file, folder or scene URL), for the embed overlay and exports. */
  sceneName: string;
}

/** How the next drop is interpreted (the capture settings panel); sent as is to the worker. */
export interface CaptureSettingsSlice {
  captureSettings: CaptureSettings;
}

export interface QuerySlice {
  queryText: string;
  /** How the next query is run (the query panel's pickers). */
  queryMode: QueryMode;
  formula: RelevancyKind;
  template: PromptTemplateSet;
  negativesText: string;
  /** Min–max normalised relevancy above which points form instances. */
  threshold: number;
  /** Bumped whenever a result buffer in drawBuffers is replaced (or cleared). */
  queryVersion: number;
  queryRunning: boolean;
  /** The backend the user asked for (status bar picker, `?backend=`); `backend` is the one that ran. */
  backendPreference: BackendPreference;
  backend: ExecutionBackend | null;
  /** Why the last query ran on another backend than asked (WebGPU lost mid-run, or no adapter); shown beside the badge. */
  backendNote: string | null;
  /** Precision of the last query's text encoder (shown beside the backend). */
  precision: ModelPrecision | null;
  timings: QueryTimings | null;
  /** Labels and ranges of drawBuffers.layers. */
  layerInfo: readonly { label: string; min: number; max: number }[];
  activeLayer: number;
  labelNames: readonly string[];
  instances: readonly Instance[];
  similarityRange: { min: number; max: number } | null;
  /** The double-clicked point drawbuffers.similarity compares with (metres, world frame); a marker shows it. */
  similaritySeed: { readonly index: number; readonly position: readonly [number, number, number] } | null;
  featureSource: FeatureSetId | null;
  modelProgress: LoadProgress | null;
  /** What the dropped model files were recognised as, when local models replace the defaults. */
  localModelsSummary: string | null;
  /** The settings that produced the result now shown (exports and the page URL record it). */
  resultQuery: ResultQuery | null;
  /** The feature sets of drawBuffers.agreement and their mean per-point cosine. */
  agreementInfo: { readonly a: string; readonly b: string; readonly mean: number } | null;
  /** The query and feature sets of drawBuffers.comparison (side-by-side heatmaps). */
  comparisonInfo: { readonly text: string; readonly a: string; readonly b: string; readonly min: number; readonly max: number } | null;
}

export type { ColorMode } from '../query/colorModes.ts';
/**
 * A one-shot request to move the 3D camera. Writers: the query panel (instance click → focus),
 * keyboard shortcuts, the view toolbar, frustum clicks. Sole consumer: the viewport's camera rig,
 * which acts once per new `version`.
 */
export type CameraRequest =
  | { readonly kind: 'fit' | 'reset'; readonly version: number }
  | { readonly kind: 'focus'; readonly bounds: Bounds3; readonly version: number }
  | { readonly kind: 'look-through'; readonly cameraIndex: number; readonly version: number }
  | { readonly kind: 'pose'; readonly position: Vec3; readonly target: Vec3; readonly version: number };

/** The free camera's eye and orbit target, metres, world frame. */
export interface CameraPose {
  readonly position: Vec3;
  readonly target: Vec3;
}

export interface ViewSlice {
  colorMode: ColorMode;
  showCameras: boolean;
  /** Side panels shown (false in embed mode or when toggled off by keyboard). */
  panelsVisible: boolean;
  cameraRequest: CameraRequest | null;
  /** How mouse/keys move the 3D camera: orbit around a target, or fly (WASD + drag to look). */
  navigation: 'orbit' | 'fly';
  /** Input camera the viewer currently looks through (until the user moves), or null. */
  lookingThrough: number | null;
  /** Input view shown in the 2D overlay panel beside the 3D viewport, or null (panel closed). */
  overlayView: number | null;
  /** How the cloud looks: colour map, point size, background, EDL, voxels, crop (viewSettings.ts). */
  viewSettings: ViewSettings;
  /** World up of the view: 'auto' = the scene's detected up (viewpoint.up), else an axis the user chose. */
  upChoice: 'auto' | UpAxis;
  /** Where the camera came to rest last (written by the camera rig after a move ends; for the URL). */
  cameraPose: CameraPose | null;
  /** The 3D view is split in two halves showing comparisonInfo's two heatmaps (same camera, one scale). */
  splitView: boolean;
}

export interface UserError {
  readonly id: number;
  readonly message: string;
}
export interface JobsSlice {
  busy: string | null;
  errors: readonly UserError[];
  /** The scene worker: idle (not started, or stopped by a cancel), running, or restarting after a crash. */
  sceneWorker: BridgeStatus;
}

/** The query panel's own state: progress of the running task, re-clustering, query history. */
export interface PanelSlice {
  /** One entry per model file fetched by the current (or last) task. */
  modelDownloads: readonly ModelDownload[];
  /** Inference stages of the current (or last) task, in run order. */
  stageProgress: readonly StageState[];
  /** Instances are being re-made at a new threshold (slider released). */
  reclustering: boolean;
  /** How long the last re-clustering took, or null. */
  clusteringMs: number | null;
  /** Queries run, oldest first (persisted by the query box). */
  history: readonly string[];
}

export type FieldLensState = SceneSlice & CaptureSettingsSlice & QuerySlice & ViewSlice & JobsSlice & PanelSlice & TeacherSlice;

const sceneSlice: StateCreator<FieldLensState, [], [], SceneSlice> = () => ({
  sceneVersion: 0,
  pointCount: null,
  liftMs: null,
  sceneDescription: '',
  bounds: null,
  robustBounds: null,
  viewpoint: null,
  sceneWarnings: [],
  sceneCounts: null,
  cameras: [],
  sceneFromDrop: false,
  ingestProgress: null,
  depthScaleWarning: null,
  sceneName: '',
});

const captureSettingsSlice: StateCreator<FieldLensState, [], [], CaptureSettingsSlice> = () => ({ captureSettings: DEFAULT_CAPTURE_SETTINGS });

/** The query fields that describe results; reset whenever the cloud they belong to is replaced. */
export const NO_QUERY_RESULT = {
  layerInfo: [],
  activeLayer: 0,
  labelNames: [],
  instances: [],
  similarityRange: null,
  similaritySeed: null,
  featureSource: null,
  resultQuery: null,
  agreementInfo: null,
  comparisonInfo: null,
} as const satisfies Partial<QuerySlice>;

const querySlice: StateCreator<FieldLensState, [], [], QuerySlice> = () => ({
  queryText: '',
  queryMode: 'relevancy',
  formula: DEFAULT_FORMULA,
  template: 'single',
  negativesText: '',
  threshold: 0.7,
  queryVersion: 0,
  queryRunning: false,
  backendPreference: 'auto',
  backend: null,
  backendNote: null,
  precision: null,
  timings: null,
  ...NO_QUERY_RESULT,
  modelProgress: null,
  localModelsSummary: null,
});

const viewSlice: StateCreator<FieldLensState, [], [], ViewSlice> = () => ({
  colorMode: DEFAULT_COLOR_MODE,
  showCameras: true,
  panelsVisible: true,
  cameraRequest: null,
  navigation: 'orbit',
  lookingThrough: null,
  overlayView: null,
  viewSettings: DEFAULT_VIEW_SETTINGS,
  upChoice: 'auto',
  cameraPose: null,
  splitView: false,
});

const jobsSlice: StateCreator<FieldLensState, [], [], JobsSlice> = () => ({ busy: null, errors: [], sceneWorker: { state: 'idle', restarts: 0 } });

const panelSlice: StateCreator<FieldLensState, [], [], PanelSlice> = () => ({
  modelDownloads: [],
  stageProgress: [],
  reclustering: false,
  clusteringMs: null,
  history: [],
});

export const useFieldLens = create<FieldLensState>()((...a) => ({
  ...sceneSlice(...a),
  ...captureSettingsSlice(...a),
  ...querySlice(...a),
  ...viewSlice(...a),
  ...jobsSlice(...a),
  ...panelSlice(...a),
  ...teacherSlice(),
}));
