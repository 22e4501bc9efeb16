/**
 * How the cloud looks (the view panel): colour map, below-threshold display, point size,
 * background, eye-dome lighting, voxel mode and crop box. Small values only; part of the
 * ViewSlice as `viewSettings`. Writer: setViewSettings in viewSlice.ts (panel, scripting API).
 *
 * `drawKey(state)` names everything that changes the per-point display colours: colour buffers
 * are recomputed exactly when it changes (displayColorCache.ts), never per frame.
 * `frameKey(state)` adds everything else that changes drawn pixels; the viewport reports
 * `data-ready` once a frame for the current frameKey has been rendered.
 */
import type { ColormapName } from '../../core/color/colormapTables.ts';
import type { BelowThresholdDisplay } from '../../core/color/scalarDisplay.ts';
import type { AxisBox } from '../../core/lift/displayVoxels.ts';
import { colorModeSpec, type ColorMode } from '../query/colorModes.ts';

export type BackgroundName = 'dark' | 'light' | 'white' | 'black';
export const BACKGROUND_NAMES: readonly BackgroundName[] = ['dark', 'light', 'white', 'black'];
/** sRGB hex of each background; 'dark' is the studio's original #101418. */
export const BACKGROUND_COLORS: Readonly<Record<BackgroundName, string>> = {
  dark: '#101418',
  light: '#d8dce2',
  white: '#ffffff',
  black: '#000000',
};

/** 'pixels': a fixed sprite size on screen; 'world': a size in metres, smaller with distance. */
export type PointSizeMode = 'pixels' | 'world';

/** Axis-aligned box in the world frame, metres (inclusive bounds). */
export type CropBox = AxisBox;

export interface ViewSettings {
  colormap: ColormapName;
  belowThreshold: BelowThresholdDisplay;
  pointSizeMode: PointSizeMode;
  /** Sprite diameter in CSS pixels ('pixels' mode). */
  pointSizePixels: number;
  /** Sprite diameter in metres ('world' mode). */
  pointSizeMetres: number;
  /** Round sprites (discs) instead of squares. */
  roundPoints: boolean;
  background: BackgroundName;
  eyeDomeLighting: boolean;
  /** EDL shading strength (dimensionless, 0 … 2). */
  edlStrength: number;
  /** Draw one cube per voxel instead of points. */
  voxelMode: boolean;
  /** Voxel edge in metres for voxel mode. */
  displayVoxelSize: number;
  /** Points outside are not drawn; null = no crop. */
  cropBox: CropBox | null;
  /** At most this many points per frame while the camera moves (a uniform subsample); all once it rests. */
  pointBudget: number;
}

/** The point budgets the view panel offers (MIN_POINT_BUDGET … ). */
export const POINT_BUDGETS: readonly number[] = [250_000, 500_000, 1_000_000, 2_000_000, 3_000_000, 5_000_000, 10_000_000, 30_000_000];

export const DEFAULT_VIEW_SETTINGS: ViewSettings = {
  colormap: 'turbo',
  belowThreshold: 'colormap',
  pointSizeMode: 'pixels',
  pointSizePixels: 2.5,
  pointSizeMetres: 0.006,
  roundPoints: false,
  background: 'dark',
  eyeDomeLighting: false,
  edlStrength: 1,
  voxelMode: false,
  displayVoxelSize: 0.02,
  cropBox: null,
  pointBudget: 1_000_000,
};

/** The state drawKey / frameKey read (a structural subset of the store's state). */
export interface DrawKeyInputs {
  readonly sceneVersion: number;
  readonly queryVersion: number;
  readonly colorMode: ColorMode;
  readonly activeLayer: number;
  readonly threshold: number;
  readonly viewSettings: ViewSettings;
}

/** Everything that changes the per-point display colours: of the view settings, what the mode's table entry says it reads. */
export function drawKey(s: DrawKeyInputs): string {
  const v = s.viewSettings;
  const spec = colorModeSpec(s.colorMode);
  const layer = spec.readsLayer ? s.activeLayer : '';
  const colormap = spec.colormap === 'none' ? '' : v.colormap;
  // The threshold matters only when points below it are drawn differently.
  const threshold = spec.colormap === 'thresholded' ? `${v.belowThreshold}:${v.belowThreshold === 'colormap' ? '' : s.threshold}` : '';
  return `${s.sceneVersion}:${s.queryVersion}:${s.colorMode}:${layer}:${colormap}:${threshold}`;
}

/** Everything that changes the drawn frame (colours + the rest of the view settings). */
export function frameKey(s: DrawKeyInputs): string {
  const v = s.viewSettings;
  const box = v.cropBox ? `${v.cropBox.min.join(',')}/${v.cropBox.max.join(',')}` : '-';
  const voxels = v.voxelMode ? `vox${v.displayVoxelSize}` : 'pts';
  return `${drawKey(s)}|${v.pointSizeMode}${v.pointSizePixels}/${v.pointSizeMetres}${v.roundPoints ? 'o' : 's'}|${v.background}|${v.eyeDomeLighting ? `edl${v.edlStrength}` : ''}|${voxels}|${box}`;
}
