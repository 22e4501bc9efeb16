import { useMemo } from 'react';
import { turboInto } from '../../core/color/colormaps.ts';
import { useFieldLens } from '../store/store.ts';

const FORMULA_LABEL = { cosine: 'cosine relevancy', lerf: 'LERF relevancy', 'paired-softmax': 'paired-softmax relevancy' } as const;

/** Legend of the scalar colour modes: turbo from the lowest to the highest value in the scene. */
export function ColorBar() {
  const colorMode = useFieldLens((s) => s.colorMode);
  const layer = useFieldLens((s) => s.layerInfo[s.activeLayer]);
  const similarity = useFieldLens((s) => s.similarityRange);
  const formula = useFieldLens((s) => s.formula);
  const gradient = useMemo(() => {
    const rgb = new Uint8Array(3);
    const stops = Array.from({ length: 11 }, (_, i) => {
      turboInto(i / 10, rgb, 0);
      return `rgb(${rgb[0]},${rgb[1]},${rgb[2]}) ${i * 10}%`;
    });
    return `linear-gradient(to right, ${stops.join(', ')})`;
  }, []);
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
    <figure className="colorbar" data-testid="colorbar" aria-label="colour scale">
      <div className="colorbar-ramp" style={{ background: gradient }} />
      <figcaption>
        <span>{range.min.toFixed(3)}</span>
        <span>{title}</span>
        <span>{range.max.toFixed(3)}</span>
      </figcaption>
    </figure>
  );
}
