import { useMemo } from 'react';
import { turboInto } from '../../core/color/colormaps.ts';
import { useFieldLens } from '../store/store.ts';

/** The heatmap's legend: turbo from the lowest to the highest relevancy in the scene. */
export function ColorBar() {
  const range = useFieldLens((s) => s.relevancyRange);
  const colorMode = useFieldLens((s) => s.colorMode);
  const gradient = useMemo(() => {
    const rgb = new Uint8Array(3);
    const stops = Array.from({ length: 11 }, (_, i) => {
      turboInto(i / 10, rgb, 0);
      return `rgb(${rgb[0]},${rgb[1]},${rgb[2]}) ${i * 10}%`;
    });
    return `linear-gradient(to right, ${stops.join(', ')})`;
  }, []);
  if (!range || colorMode !== 'relevancy') return null;
  return (
    <figure className="colorbar" data-testid="colorbar" aria-label="relevancy colour scale">
      <div className="colorbar-ramp" style={{ background: gradient }} />
      <figcaption>
        <span>{range.min.toFixed(3)}</span>
        <span>cosine relevancy</span>
        <span>{range.max.toFixed(3)}</span>
      </figcaption>
    </figure>
  );
}
