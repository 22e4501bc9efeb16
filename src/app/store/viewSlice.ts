/**
 * The view slice: how the scene is looked at — colour mode, camera requests and navigation, the
 * 2D overlay, the view settings (colour map, point size, background, EDL, voxels, crop), the up
 * axis and the split view. Nothing here is re-computed by the worker. Values written by scripts are
 * checked here, so a script cannot put the view into a state the panel cannot show.
 */
import type { Bounds3 } from '../../core/lift/pointCloud.ts';
import type { Vec3 } from '../../core/views/cameraMath.ts';
import { isUpAxis, type UpAxis } from '../../core/views/framing.ts';
import { COLORMAP_NAMES } from '../../core/color/colormapTables.ts';
import { BELOW_THRESHOLD_DISPLAYS } from '../../core/color/scalarDisplay.ts';
import { MIN_POINT_BUDGET } from '../../core/lift/drawOrder.ts';
import { DEFAULT_COLOR_MODE, type ColorMode } from '../query/colorModes.ts';
import { BACKGROUND_NAMES, DEFAULT_VIEW_SETTINGS, type CropBox, type ViewSettings } from './viewSettings.ts';
import { remember, type UpChoice } from './upMemory.ts';
import { useFieldLens } from './store.ts';

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

export function createViewSlice(): ViewSlice {
  return {
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
  };
}

export function setColorMode(mode: ColorMode): void {
  useFieldLens.setState({ colorMode: mode });
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Asks the viewport's camera rig to fit / reset / focus a box / look through an input camera. */
export function requestCamera(request: DistributiveOmit<CameraRequest, 'version'>): void {
  const version = (useFieldLens.getState().cameraRequest?.version ?? 0) + 1;
  useFieldLens.setState({ cameraRequest: { ...request, version } as CameraRequest });
}

/** Looks through input camera `index` (its pose and field of view). */
export function lookThroughCamera(index: number): void {
  requestCamera({ kind: 'look-through', cameraIndex: index });
}

/** Called by the camera rig: which input camera the viewer now matches (null once the user moves). */
export function setLookingThrough(index: number | null): void {
  if (useFieldLens.getState().lookingThrough !== index) useFieldLens.setState({ lookingThrough: index });
}

export function setNavigation(navigation: ViewSlice['navigation']): void {
  useFieldLens.setState({ navigation });
}

export function togglePanels(): void {
  useFieldLens.setState((s) => ({ panelsVisible: !s.panelsVisible }));
}

/** Shows input view `index` in the 2D overlay panel (null closes it). */
export function setOverlayView(index: number | null): void {
  useFieldLens.setState({ overlayView: index });
}

/** The user picked an up axis: the camera re-frames (CameraRig) and the choice is kept for this scene. */
export function setUpChoice(choice: UpChoice): void {
  if (choice !== 'auto' && !isUpAxis(choice)) throw new RangeError(`up axis: expected auto, y, -y, z or -z, found ${String(choice)}`);
  remember(useFieldLens.getState().sceneName, choice);
  useFieldLens.setState({ upChoice: choice, cameraPose: null });
}

/** Written by the camera rig when the camera comes to rest (null: the framed start view). */
export function recordCameraPose(pose: CameraPose | null): void {
  useFieldLens.setState({ cameraPose: pose });
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!(value >= min && value <= max)) throw new RangeError(`view settings: ${name} must be between ${min} and ${max}, found ${value}`);
}

function checkOneOf<T>(name: string, value: T, allowed: readonly T[]): void {
  if (!allowed.includes(value)) throw new RangeError(`view settings: ${name} must be one of ${allowed.join(', ')}, found ${String(value)}`);
}

function checkCropBox(box: CropBox): void {
  for (let a = 0; a < 3; a++) {
    const lo = box.min[a];
    const hi = box.max[a];
    if (typeof lo !== 'number' || typeof hi !== 'number' || !Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) {
      throw new RangeError(`view settings: crop box axis ${'xyz'[a]} needs finite min ≤ max in metres, found ${lo} … ${hi}`);
    }
  }
}

/** Validates and merges `partial` into the view settings (throws a RangeError naming the field). */
export function setViewSettings(partial: Partial<ViewSettings>): void {
  if (partial.colormap !== undefined) checkOneOf('colormap', partial.colormap, COLORMAP_NAMES);
  if (partial.belowThreshold !== undefined) checkOneOf('belowThreshold', partial.belowThreshold, BELOW_THRESHOLD_DISPLAYS);
  if (partial.background !== undefined) checkOneOf('background', partial.background, BACKGROUND_NAMES);
  if (partial.pointSizeMode !== undefined) checkOneOf('pointSizeMode', partial.pointSizeMode, ['pixels', 'world'] as const);
  if (partial.pointSizePixels !== undefined) checkRange('pointSizePixels', partial.pointSizePixels, 0.5, 64);
  if (partial.pointSizeMetres !== undefined) checkRange('pointSizeMetres', partial.pointSizeMetres, 0.0001, 1);
  if (partial.edlStrength !== undefined) checkRange('edlStrength', partial.edlStrength, 0, 2);
  if (partial.displayVoxelSize !== undefined) checkRange('displayVoxelSize', partial.displayVoxelSize, 0.002, 1);
  if (partial.pointBudget !== undefined) checkRange('pointBudget', partial.pointBudget, MIN_POINT_BUDGET, 100_000_000);
  if (partial.cropBox) checkCropBox(partial.cropBox);
  useFieldLens.setState((s) => ({ viewSettings: { ...s.viewSettings, ...partial } }));
}

/** Sets or clears (null) the crop box. */
export function setCropBox(box: CropBox | null): void {
  setViewSettings({ cropBox: box });
}

/** Shows or leaves the split view; it can only be shown once a comparison has been run. */
export function setSplitView(split: boolean): void {
  useFieldLens.setState((s) => ({ splitView: split && s.comparisonInfo !== null }));
}
