/**
 * Writers of `viewSettings` (view panel, crop box controls, scripting API). Values are checked
 * here so a script cannot put the view into a state the panel cannot show.
 */
import { COLORMAP_NAMES } from '../../core/color/colormapTables.ts';
import { BELOW_THRESHOLD_DISPLAYS } from '../../core/color/scalarDisplay.ts';
import { BACKGROUND_NAMES, type CropBox, type ViewSettings } from './viewSettings.ts';
import { useFieldLens } from './store.ts';

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
