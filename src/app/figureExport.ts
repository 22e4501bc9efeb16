/**
 * "PNG with legend": the 3D view rendered at 2× its on-screen resolution with the active legend
 * (legend.ts: query, formula, colour bar or label colours; split-view half names) drawn in, ready
 * for a paper figure. Layout sizes are in CSS pixels of the on-screen view, multiplied by the
 * capture's pixels per CSS pixel, so the figure looks like the screen, only sharper.
 */
import { COLORMAP_SIZE, COLORMAP_TABLES } from '../core/color/colormapTables.ts';
import { captureViewport } from './viewportCapture.ts';
import { legendOf, type Legend, type Rgb } from './legend.ts';
import { useFieldLens } from './store/store.ts';

/** Figure pixels per on-screen canvas pixel. */
export const FIGURE_SCALE = 2;

const CARD = { margin: 12, padding: 10, width: 260, line: 16, barHeight: 14, swatch: 11, radius: 8 } as const;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const css = (rgb: Rgb) => `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`;

/** The card's text lines, wrapped to `width` (CSS px at scale k). */
function wrap(context: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (line && context.measureText(next).width > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** Draws the colour bar as one column per figure pixel, each the table entry at its position. */
function drawBar(context: CanvasRenderingContext2D, legend: Legend, x: number, y: number, width: number, height: number): void {
  const table = COLORMAP_TABLES[legend.bar!.colormap];
  const columns = Math.round(width);
  for (let c = 0; c < columns; c++) {
    const e = Math.round((c / Math.max(1, columns - 1)) * (COLORMAP_SIZE - 1)) * 3;
    context.fillStyle = `rgb(${table[e]},${table[e + 1]},${table[e + 2]})`;
    context.fillRect(Math.round(x) + c, Math.round(y), 1, Math.round(height));
  }
}

/** Draws the legend card in the top-right corner of a figure of width `w`; k = figure px per CSS px. */
export function drawLegend(context: CanvasRenderingContext2D, legend: Legend, w: number, k: number): void {
  const pad = CARD.padding * k;
  const inner = CARD.width * k - 2 * pad;
  const x0 = w - CARD.margin * k - CARD.width * k;
  const y0 = CARD.margin * k;
  const line = CARD.line * k;
  const bold = `600 ${14 * k}px ${FONT}`;
  const small = `${12 * k}px ${FONT}`;
  context.font = bold;
  const queryLines = legend.query !== null ? wrap(context, `“${legend.query}”`, inner) : [];
  context.font = small;
  const formulaLines = legend.formula !== null ? wrap(context, legend.formula, inner) : [];
  const titleLines = legend.bar ? wrap(context, legend.bar.title, inner) : [];
  const rows = legend.categories.length + (legend.moreCategories > 0 ? 1 : 0);
  const height =
    2 * pad + (queryLines.length + formulaLines.length) * line + (legend.bar ? CARD.barHeight * k + 6 * k + (1 + titleLines.length) * line : 0) + rows * line;

  context.save();
  context.fillStyle = 'rgba(22, 27, 34, 0.92)';
  context.strokeStyle = '#2d3643';
  context.lineWidth = k;
  context.beginPath();
  context.roundRect(x0, y0, CARD.width * k, height, CARD.radius * k);
  context.fill();
  context.stroke();
  context.textBaseline = 'top';
  let y = y0 + pad;
  const text = (s: string, font: string, color: string, x = x0 + pad, align: CanvasTextAlign = 'left') => {
    context.font = font;
    context.fillStyle = color;
    context.textAlign = align;
    context.fillText(s, x, y);
  };
  const lines = (ls: readonly string[], font: string, color: string, x?: number, align?: CanvasTextAlign) => {
    for (const l of ls) {
      text(l, font, color, x, align);
      y += line;
    }
  };
  lines(queryLines, bold, '#e6e9ee');
  lines(formulaLines, small, '#8b98a9');
  if (legend.bar) {
    y += 4 * k;
    drawBar(context, legend, x0 + pad, y, inner, CARD.barHeight * k);
    y += CARD.barHeight * k + 2 * k;
    text(legend.bar.min.toFixed(3), small, '#e6e9ee');
    text(legend.bar.max.toFixed(3), small, '#e6e9ee', x0 + pad + inner, 'right');
    y += line;
    lines(titleLines, small, '#b8c2cf', x0 + pad + inner / 2, 'center');
  }
  for (const c of legend.categories) {
    context.fillStyle = css(c.rgb);
    context.fillRect(x0 + pad, y + 2 * k, CARD.swatch * k, CARD.swatch * k);
    text(c.name, small, '#e6e9ee', x0 + pad + (CARD.swatch + 6) * k);
    y += line;
  }
  if (legend.moreCategories > 0) text(`+${legend.moreCategories} more`, small, '#8b98a9');
  context.restore();
}

/** Names the halves of the split view in the figure, as on screen. */
function drawHalfNames(context: CanvasRenderingContext2D, names: readonly [string, string], w: number, h: number, k: number): void {
  context.save();
  context.fillStyle = 'rgba(139, 152, 169, 0.7)';
  context.fillRect(Math.round(w / 2 - k), 0, Math.round(2 * k), h);
  context.font = `600 ${13 * k}px ${FONT}`;
  context.textBaseline = 'top';
  names.forEach((name, i) => {
    const x = i * (w / 2) + CARD.margin * k;
    const width = context.measureText(name).width + 12 * k;
    context.fillStyle = 'rgba(22, 27, 34, 0.85)';
    context.fillRect(x, CARD.margin * k, width, 20 * k);
    context.fillStyle = '#e6e9ee';
    context.fillText(name, x + 6 * k, CARD.margin * k + 3 * k);
  });
  context.restore();
}

/** The figure as a PNG: FIGURE_SCALE × the canvas's pixels, legend drawn in. */
export async function figurePng(): Promise<Blob> {
  const figure = await captureViewport(FIGURE_SCALE);
  const context = figure.getContext('2d');
  if (!context) throw new Error('figure export: no 2D canvas context');
  const legend = legendOf(useFieldLens.getState());
  const cssWidth = document.querySelector<HTMLElement>('[data-testid="viewport"]')?.clientWidth || figure.width;
  const k = figure.width / cssWidth;
  if (legend?.halves) drawHalfNames(context, legend.halves, figure.width, figure.height, k);
  if (legend) drawLegend(context, legend, figure.width, k);
  return new Promise((resolve, reject) =>
    figure.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('figure export: the image could not be encoded'))), 'image/png'),
  );
}
