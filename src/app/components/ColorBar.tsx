import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { colormapCssGradient } from '../../core/color/colormapTables.ts';
import { colorBarScale } from '../query/colorModes.ts';
import { useFieldLens } from '../store/store.ts';

/** Legend of the scalar colour modes: the chosen colour map from the lowest to the highest value in the scene. */
export function ColorBar() {
  // The scale and caption of the current mode come from the colour-mode table.
  const scale = useFieldLens(useShallow(colorBarScale));
  const colormap = useFieldLens((s) => s.viewSettings.colormap);
  const gradient = useMemo(() => colormapCssGradient(colormap, 10), [colormap]);
  if (!scale) return null;
  const { title, ...range } = scale;
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
