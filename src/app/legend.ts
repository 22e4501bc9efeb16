/**
 * What the active legend shows, as data: drawn as a card over the 3D view (LegendCard) and into the
 * figure export (figureExport.ts), so both always say the same thing.
 */
import { CATEGORY_COLORS } from '../core/color/categoryColors.ts';
import { colorBarSpec, type ColorBarSpec } from './components/ColorBar.tsx';
import type { FieldLensState } from './store/store.ts';
import { colorModeSpec } from './query/colorModes.ts';

export type Rgb = readonly [number, number, number];

export interface CategoryEntry {
  readonly name: string;
  readonly rgb: Rgb;
}

export interface Legend {
  /** The query whose result is shown, as typed. */
  readonly query: string | null;
  /** How the result was computed (formula, prompts, negatives), one line. */
  readonly formula: string | null;
  readonly bar: ColorBarSpec | null;
  /** Label or instance colours (label-set and instance modes). */
  readonly categories: readonly CategoryEntry[];
  /** Categories left out of `categories` (long instance lists). */
  readonly moreCategories: number;
  /** Split view: the feature set of the left and of the right half. */
  readonly halves: readonly [string, string] | null;
}

/** Instances beyond this many are counted, not listed: the card must not cover the view. */
export const MAX_LEGEND_INSTANCES = 8;
/** Points whose label lost to a negative keep their own colour at a quarter brightness. */
const BACKGROUND_SWATCH: Rgb = [51, 51, 51];

const categoryColor = (i: number): Rgb => CATEGORY_COLORS[i % CATEGORY_COLORS.length]!;

function categories(s: FieldLensState): { entries: CategoryEntry[]; more: number } {
  if (s.splitView && s.comparisonInfo) return { entries: [], more: 0 };
  const kind = colorModeSpec(s.colorMode).categoryLegend;
  if (kind === 'label-set') {
    return {
      entries: [...s.labelNames.map((name, i) => ({ name, rgb: categoryColor(i) })), { name: 'background (a negative won)', rgb: BACKGROUND_SWATCH }],
      more: 0,
    };
  }
  if (kind === 'instance-list') {
    const shown = s.instances.slice(0, MAX_LEGEND_INSTANCES);
    return {
      entries: shown.map((inst) => ({ name: `#${inst.id} · ${inst.count.toLocaleString('en')} points`, rgb: categoryColor(inst.id) })),
      more: s.instances.length - shown.length,
    };
  }
  return { entries: [], more: 0 };
}

/** The legend of what the 3D view shows now, or null when plain colours need none. */
export function legendOf(s: FieldLensState): Legend | null {
  const bar = colorBarSpec(s);
  const { entries, more } = categories(s);
  if (!bar && entries.length === 0) return null;
  const comparison = s.splitView ? s.comparisonInfo : null;
  // Similarity, agreement and PCA do not come from the query: naming it would mislead.
  const q = comparison || colorModeSpec(s.colorMode).namesQuery ? s.resultQuery : null;
  const query = comparison?.text ?? q?.text ?? null;
  const formula = comparison
    ? `${s.formula} · prompts: ${s.template}`
    : q
      ? [q.mode === 'labels' ? 'label set' : q.formula, `prompts: ${q.template}`, q.negatives.trim() ? `negatives: ${q.negatives.trim()}` : '']
          .filter(Boolean)
          .join(' · ')
      : null;
  return { query, formula, bar, categories: entries, moreCategories: more, halves: comparison ? [comparison.a, comparison.b] : null };
}
