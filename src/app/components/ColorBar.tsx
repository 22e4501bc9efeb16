import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { colormapCssGradient, type ColormapName } from '../../core/color/colormapTables.ts';
import { useFieldLens, type FieldLensState } from '../store/store.ts';

const FORMULA_LABEL = { cosine: 'cosine relevancy', lerf: 'LERF relevancy', 'paired-softmax': 'paired-softmax relevancy' } as const;

/** What the colour bar shows: the colour map from `min` to `max`, and what the values are. */
export interface ColorBarSpec {
  readonly min: number;
  readonly max: number;
  readonly title: string;
  readonly colormap: ColormapName;
}

/** The colour bar of the shown scalar colour mode (or of the split view), or null when none applies. */
export function colorBarSpec(s: FieldLensState): ColorBarSpec | null {
  const { colorMode, formula, comparisonInfo: comparison, agreementInfo: agreement } = s;
  const colormap = s.viewSettings.colormap;
  const layer = s.layerInfo[s.activeLayer];
  // The split view's two heatmaps share one scale, shown once.
  if (s.splitView && comparison) return { min: comparison.min, max: comparison.max, title: `${FORMULA_LABEL[formula]} · ${comparison.a} | ${comparison.b}`, colormap };
  const range = colorMode === 'relevancy' ? layer : colorMode === 'similarity' ? s.similarityRange : colorMode === 'agreement' && agreement ? { min: -1, max: 1 } : null;
  if (!range) return null;
  const title =
    colorMode === 'similarity'
      ? 'similarity to the picked point'
      : colorMode === 'agreement' && agreement
        ? `cosine ${agreement.a} vs ${agreement.b} · mean ${agreement.mean.toFixed(3)}`
        : `${FORMULA_LABEL[formula]} · ${layer?.label ?? ''}`;
  return { min: range.min, max: range.max, title, colormap };
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
