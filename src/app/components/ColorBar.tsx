import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { colormapCssGradient, type ColormapName } from '../../core/color/colormapTables.ts';
import { colorBarScale, relevancyTitle } from '../query/colorModes.ts';
import { useFieldLens, type FieldLensState } from '../store/store.ts';

/** What the colour bar shows: the colour map from `min` to `max`, and what the values are. */
export interface ColorBarSpec {
  readonly min: number;
  readonly max: number;
  readonly title: string;
  readonly colormap: ColormapName;
}

/**
 * The colour bar of the shown scalar colour mode (from the colour-mode table), or of the split view,
 * or null when none applies. Captions name the formula that produced the result, not the picker.
 */
export function colorBarSpec(s: FieldLensState): ColorBarSpec | null {
  const colormap = s.viewSettings.colormap;
  const comparison = s.comparisonInfo;
  // The split view's two heatmaps share one scale, shown once.
  if (s.splitView && comparison) {
    return { min: comparison.min, max: comparison.max, title: `${relevancyTitle(s.resultQuery)} · ${comparison.a} | ${comparison.b}`, colormap };
  }
  const scale = colorBarScale(s);
  return scale ? { ...scale, colormap } : null;
}

/** Legend of the scalar colour modes: the chosen colour map from the lowest to the highest value in the scene. */
export function ColorBar() {
  const spec = useFieldLens(useShallow(colorBarSpec));
  const colormap = spec?.colormap ?? 'turbo';
  const gradient = useMemo(() => colormapCssGradient(colormap, 10), [colormap]);
  if (!spec) return null;
  return (
    <figure className="colorbar" data-testid="colorbar" data-colormap={spec.colormap} aria-label="colour scale">
      <div className="colorbar-ramp" style={{ background: gradient }} />
      <figcaption>
        <span data-testid="colorbar-min">{spec.min.toFixed(3)}</span>
        <span className="colorbar-title">{spec.title}</span>
        <span data-testid="colorbar-max">{spec.max.toFixed(3)}</span>
      </figcaption>
    </figure>
  );
}
