/**
 * The colour modes: one entry per mode, and everything that lists or tells modes apart derives
 * from this table — the colour-mode radio buttons, keyboard shortcuts and their help overlay,
 * `drawKey` (viewSettings.ts), the colour bar, URL and state-file guards. The colours themselves
 * are written by render/displayColors.ts (an exhaustive switch over ColorMode). Adding a mode is
 * an entry here plus its case there; `satisfies` makes a missing entry a type error.
 */
import type { ResultQuery } from '../../core/export/resultPly.ts';
import { FORMULA_TABLE, isRelevancyKind } from '../../core/query/formulaTable.ts';
import type { QueryMode } from '../../infer/queryTypes.ts';
import type { Instance } from '../../core/query/clustering.ts';

export type ColorMode = 'rgb' | 'relevancy' | 'labels' | 'instances' | 'pca' | 'similarity' | 'agreement' | 'segments';

/**
 * The state the colour-mode entries read to decide what they can show and how to label it: the
 * store's state fits it. Written out here rather than picked from the store's type, so the table
 * (read by the renderer and the Node benchmarks too) does not depend on the store's slices.
 */
export interface ColorModeState {
  readonly layerInfo: readonly { readonly label: string; readonly min: number; readonly max: number }[];
  readonly activeLayer: number;
  readonly labelNames: readonly string[];
  readonly instances: readonly Instance[];
  readonly colorMode: ColorMode;
  readonly queryVersion: number;
  readonly similarityRange: { readonly min: number; readonly max: number } | null;
  readonly agreementInfo: { readonly a: string; readonly b: string; readonly mean: number } | null;
  readonly resultQuery: ResultQuery | null;
  /** The segment slice's shown result. */
  readonly segments: {
    readonly shown: 'mask' | 'relation' | null;
    readonly mask: { readonly text: string; readonly rows: readonly { readonly score: number }[] } | null;
  };
}

/** What the colour bar shows: the scale's ends and what it measures. */
export interface ColorBarScale {
  readonly min: number;
  readonly max: number;
  readonly title: string;
}

export interface ColorModeSpec {
  /** The radio button. */
  readonly label: string;
  /** The help overlay's description of the shortcut. */
  readonly help: string;
  /** KeyboardEvent.key that selects the mode, or null. */
  readonly shortcut: string | null;
  /**
   * How the mode uses the view's colour map: not at all; over a fixed scale with every point
   * coloured (threshold display ignored); or with the below-threshold display and threshold.
   */
  readonly colormap: 'none' | 'fixed-scale' | 'thresholded';
  /** The colours depend on the active relevancy layer. */
  readonly readsLayer: boolean;
  /** The result the mode needs: it is offered only when this holds. */
  readonly available: (s: ColorModeState) => boolean;
  /** The colour bar of the mode, or null when the mode has none (or nothing to show yet). */
  readonly colorBar: (s: ColorModeState) => ColorBarScale | null;
  /** The mode's name in `?mode=` and state files. */
  readonly urlName: string;
  /**
   * How a link reproduces the mode: select it after the link's query ran, compute the PCA view,
   * or leave it (it needs a click or a feature-set choice that a link does not hold).
   */
  readonly fromLink: 'select' | 'compute-pca' | 'not-reproducible';
  /** A query of this mode is first shown in this colour mode. */
  readonly showsQuery: QueryMode | null;
  /** The query a link with this colour mode runs its text as. */
  readonly linkQuery: QueryMode;
  /** The legend card lists colours of categories: the label set's labels, or the instances. */
  readonly categoryLegend: 'label-set' | 'instance-list' | null;
  /** The legend card names the query that produced the colours (not for PCA, similarity, agreement). */
  readonly namesQuery: boolean;
  /** The 3D view marks the picked point the colours compare with. */
  readonly marksPickedPoint: boolean;
  /** What a double-click on a point does: compare every feature with its (similarity), or isolate its segment. */
  readonly pointPick: 'similarity' | 'isolate-segment';
  /** The 3D view outlines the relation answer (target and reference segments). */
  readonly drawsRelation: boolean;
  /** The 2D overlay paints the mode's colours over the input image (false: the image as captured). */
  readonly paintsImage: boolean;
  /** *Render view* writes the mode's colours from the new camera as `<name>.png` (when it has colours). */
  readonly rendersImage: boolean;
}

const noColorBar = (): null => null;

/** The caption names the formula that produced the result (its recorded query), not the picker's current value. */
export function relevancyTitle(query: ResultQuery | null): string {
  return query && isRelevancyKind(query.formula) ? FORMULA_TABLE[query.formula].caption : 'relevancy';
}

/** The modes in radio-button and shortcut order. */
export const COLOR_MODE_TABLE = {
  rgb: {
    label: 'RGB',
    help: 'RGB colours',
    shortcut: '1',
    colormap: 'none',
    readsLayer: false,
    available: () => true,
    colorBar: noColorBar,
    urlName: 'rgb',
    fromLink: 'select',
    showsQuery: null,
    linkQuery: 'relevancy',
    categoryLegend: null,
    namesQuery: false,
    marksPickedPoint: false,
    pointPick: 'similarity',
    drawsRelation: false,
    paintsImage: false,
    rendersImage: false,
  },
  relevancy: {
    label: 'Relevancy',
    help: 'Relevancy heatmap',
    shortcut: '2',
    colormap: 'thresholded',
    readsLayer: true,
    available: (s) => s.layerInfo.length > 0,
    colorBar: (s) => {
      const layer = s.layerInfo[s.activeLayer];
      return layer ? { min: layer.min, max: layer.max, title: `${relevancyTitle(s.resultQuery)} · ${layer.label}` } : null;
    },
    urlName: 'relevancy',
    fromLink: 'select',
    showsQuery: 'relevancy',
    linkQuery: 'relevancy',
    categoryLegend: null,
    namesQuery: true,
    marksPickedPoint: false,
    pointPick: 'similarity',
    drawsRelation: false,
    paintsImage: true,
    rendersImage: true,
  },
  labels: {
    label: 'Labels',
    help: 'Segmentation labels',
    shortcut: '3',
    colormap: 'none',
    readsLayer: false,
    available: (s) => s.labelNames.length > 0,
    colorBar: noColorBar,
    urlName: 'labels',
    fromLink: 'select',
    showsQuery: 'labels',
    linkQuery: 'labels',
    categoryLegend: 'label-set',
    namesQuery: true,
    marksPickedPoint: false,
    pointPick: 'similarity',
    drawsRelation: false,
    paintsImage: true,
    rendersImage: true,
  },
  instances: {
    label: 'Instances',
    help: 'Instances',
    shortcut: '4',
    colormap: 'none',
    readsLayer: false,
    available: (s) => s.instances.length > 0,
    colorBar: noColorBar,
    urlName: 'instances',
    fromLink: 'select',
    showsQuery: null,
    linkQuery: 'relevancy',
    categoryLegend: 'instance-list',
    namesQuery: true,
    marksPickedPoint: false,
    pointPick: 'similarity',
    drawsRelation: false,
    paintsImage: true,
    rendersImage: true,
  },
  pca: {
    label: 'PCA',
    help: 'PCA of features',
    shortcut: '5',
    colormap: 'none',
    readsLayer: false,
    // Computed on demand (the "PCA of features" button), so offered once a model has run.
    available: (s) => s.colorMode === 'pca' || s.queryVersion > 0,
    colorBar: noColorBar,
    urlName: 'pca',
    fromLink: 'compute-pca',
    showsQuery: null,
    linkQuery: 'relevancy',
    categoryLegend: null,
    namesQuery: false,
    marksPickedPoint: false,
    pointPick: 'similarity',
    drawsRelation: false,
    paintsImage: true,
    rendersImage: true,
  },
  similarity: {
    label: 'Similarity',
    help: 'Similarity to the clicked point',
    shortcut: '6',
    colormap: 'thresholded',
    readsLayer: false,
    available: (s) => s.similarityRange !== null,
    colorBar: (s) => (s.similarityRange ? { ...s.similarityRange, title: 'similarity to the picked point' } : null),
    urlName: 'similarity',
    fromLink: 'not-reproducible',
    showsQuery: null,
    linkQuery: 'relevancy',
    categoryLegend: null,
    namesQuery: false,
    marksPickedPoint: true,
    pointPick: 'similarity',
    drawsRelation: false,
    paintsImage: true,
    rendersImage: false,
  },
  agreement: {
    label: 'Agreement',
    help: 'Agreement of two feature sets',
    shortcut: null,
    // Cosine has a fixed scale: −1 (opposite) … 1 (same direction), comparable across scenes.
    colormap: 'fixed-scale',
    readsLayer: false,
    available: (s) => s.agreementInfo !== null,
    colorBar: (s) =>
      s.agreementInfo ? { min: -1, max: 1, title: `cosine ${s.agreementInfo.a} vs ${s.agreementInfo.b} · mean ${s.agreementInfo.mean.toFixed(3)}` } : null,
    urlName: 'agreement',
    fromLink: 'not-reproducible',
    showsQuery: null,
    linkQuery: 'relevancy',
    categoryLegend: null,
    namesQuery: false,
    marksPickedPoint: false,
    pointPick: 'similarity',
    drawsRelation: false,
    paintsImage: true,
    rendersImage: false,
  },
  segments: {
    label: 'Segments',
    help: 'Segments: mask-mode scores, or the relation answer',
    shortcut: '7',
    colormap: 'fixed-scale',
    readsLayer: false,
    available: (s) => s.segments.shown !== null,
    colorBar: (s) => {
      const { shown, mask } = s.segments;
      if (shown !== 'mask' || !mask || mask.rows.length === 0) return null;
      return { min: Math.min(...mask.rows.map((r) => r.score)), max: mask.rows[0]!.score, title: `segment score · ${mask.text}` };
    },
    urlName: 'segments',
    fromLink: 'not-reproducible',
    showsQuery: null,
    linkQuery: 'relevancy',
    categoryLegend: null,
    namesQuery: true,
    marksPickedPoint: false,
    pointPick: 'isolate-segment',
    drawsRelation: true,
    paintsImage: true,
    rendersImage: false,
  },
} as const satisfies Record<ColorMode, ColorModeSpec>;

/** Every colour mode, in table order. */
export const COLOR_MODES = Object.keys(COLOR_MODE_TABLE) as readonly ColorMode[];

/** The mode of a scene without results (the first entry); links leave it out. */
export const DEFAULT_COLOR_MODE: ColorMode = COLOR_MODES[0]!;

export const isColorMode = (v: unknown): v is ColorMode => typeof v === 'string' && Object.hasOwn(COLOR_MODE_TABLE, v);

export const colorModeSpec = (mode: ColorMode): ColorModeSpec => COLOR_MODE_TABLE[mode];

/** The colour mode a `?mode=` value (or a state file's colorMode) names, or null when none does. */
export function colorModeFromUrlName(name: unknown): ColorMode | null {
  return COLOR_MODES.find((m) => COLOR_MODE_TABLE[m].urlName === name) ?? null;
}

/** The colour mode that shows the result of a query of `mode`. */
export function colorModeShowing(mode: QueryMode): ColorMode {
  const found = COLOR_MODES.find((m) => COLOR_MODE_TABLE[m].showsQuery === mode);
  if (!found) throw new Error(`no colour mode shows a "${mode}" query`);
  return found;
}

/** Colour modes that have something to show for the current results (radio buttons, shortcut keys). */
export function availableColorModes(s: ColorModeState): ColorMode[] {
  return COLOR_MODES.filter((m) => COLOR_MODE_TABLE[m].available(s));
}

/** The colour bar of the current mode, or null. */
export function colorBarScale(s: ColorModeState): ColorBarScale | null {
  return COLOR_MODE_TABLE[s.colorMode].colorBar(s);
}
