import { useMemo } from 'react';
import { colormapCssGradient } from '../../core/color/colormapTables.ts';
import { useFieldLens } from '../store/store.ts';

const FORMULA_LABEL = { cosine: 'cosine relevancy', lerf: 'LERF relevancy', 'paired-softmax': 'paired-softmax relevancy' } as const;

/** Legend of the scalar colour modes: the chosen colour map from the lowest to the highest value in the scene. */
export function ColorBar() {
  const colorMode = useFieldLens((s) => s.colorMode);
  const layer = useFieldLens((s) => s.layerInfo[s.activeLayer]);
  const similarity = useFieldLens((s) => s.similarityRange);
  const formula = useFieldLens((s) => s.formula);
  const colormap = useFieldLens((s) => s.viewSettings.colormap);
  const gradient = useMemo(() => colormapCssGradient(colormap, 10), [colormap]);
  const agreement = useFieldLens((s) => s.agreementInfo);
  const range = colorMode === 'relevancy' ? layer : colorMode === 'similarity' ? similarity : colorMode === 'agreement' && agreement ? { min: -1, max: 1 } : null;
  if (!range) return null;
  const title =
    colorMode === 'similarity'
      ? 'similarity to the picked point'
      : colorMode === 'agreement' && agreement
        ? `cosine ${agreement.a} vs ${agreement.b} · mean ${agreement.mean.toFixed(3)}`
        : `${FORMULA_LABEL[formula]} · ${layer?.label ?? ''}`;
  return (
    <figure className="colorbar" data-testid="colorbar" data-colormap={colormap} aria-label="colour scale">
      <div className="colorbar-ramp" style={{ background: gradient }} />
      <figcaption>
        <span>{range.min.toFixed(3)}</span>
        <span>{title}</span>
        <span>{range.max.toFixed(3)}</span>
      </figcaption>
    </figure>
  );
}
