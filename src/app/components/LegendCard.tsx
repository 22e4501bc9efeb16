import { colorModeSpec } from '../query/colorModes.ts';
import { legendOf, type Rgb } from '../legend.ts';
import { useFieldLens } from '../store/store.ts';
import { ColorBar } from './ColorBar.tsx';

const css = (rgb: Rgb) => `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`;

/**
 * The active legend, always on screen over the 3D view's corner: the query and how it was scored,
 * then the colour bar (scalar modes, split view) or the label / instance colours.
 */
export function LegendCard() {
  const s = useFieldLens();
  const legend = legendOf(s);
  if (!legend) return null;
  return (
    <aside className="legend-card" data-testid="legend-card" aria-label="legend">
      {legend.query !== null && (
        <p className="legend-query" data-testid="legend-query" title={legend.formula ?? undefined}>
          “{legend.query}”
        </p>
      )}
      {legend.formula !== null && (
        <p className="legend-formula" data-testid="legend-formula">
          {legend.formula}
        </p>
      )}
      {legend.bar && <ColorBar />}
      {legend.categories.length > 0 && (
        <ul className="legend" data-testid={colorModeSpec(s.colorMode).categoryLegend === 'label-set' ? 'label-legend' : 'instance-legend'}>
          {legend.categories.map((c) => (
            <li key={c.name}>
              <span className="swatch" style={{ background: css(c.rgb) }} /> {c.name}
            </li>
          ))}
          {legend.moreCategories > 0 && <li className="hint">+{legend.moreCategories} more (see the instance list)</li>}
        </ul>
      )}
    </aside>
  );
}
