/**
 * What the export panel downloads, built from drawBuffers (the drawn arrays) and the store: the
 * result PLY, the selected feature set as a feature PLY (built in the worker), masks (.npy / JSON), the instance list, a PNG of the canvas
 * (bare, or at 2× with the legend drawn in: figureExport.ts) and the state file.
 * Downloads go through a blob URL, revoked once the browser has taken the file.
 */
import { encodeResultPly, type QueryResultData } from '../core/export/resultPly.ts';
import { masksToJson, masksToNpy, resultMasks } from '../core/export/masks.ts';
import { instanceSummaryJson } from '../core/export/instanceSummary.ts';
import { drawBuffers } from './store/drawBuffers.ts';
import { useFieldLens } from './store/store.ts';
import { DEFAULT_FORMULA } from '../core/query/formulaTable.ts';
import { stateSnapshot } from './urlState.ts';
import { figurePng } from './figureExport.ts';
import { selectedFeaturePly } from './store/teacherSlice.ts';

export type ExportKind = 'ply' | 'features' | 'masks-npy' | 'masks-json' | 'instances' | 'png' | 'png-legend' | 'state';

const NO_QUERY = { text: '', mode: 'relevancy', formula: DEFAULT_FORMULA, template: 'single', negatives: '', threshold: null } as const;

/** The shown result (or none: an empty query, NaN relevancy, −1 labels and instances). */
function currentResult(): QueryResultData {
  const s = useFieldLens.getState();
  return {
    query: s.resultQuery ?? NO_QUERY,
    layers: drawBuffers.layers.map((values, k) => ({ label: s.layerInfo[k]?.label ?? `layer ${k}`, values })),
    labels: drawBuffers.labels ? { names: s.labelNames, perPoint: drawBuffers.labels } : null,
    instanceIds: drawBuffers.instanceIds,
  };
}

/** "demo-yellow-dice" */
function baseFileName(): string {
  const s = useFieldLens.getState();
  const slug = (t: string) =>
    t
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  return [slug(s.sceneName.replace(/\.[a-z0-9]+$/i, '')) || 'fieldlens', slug(s.resultQuery?.text ?? '')].filter(Boolean).join('-');
}

function canvasPng(): Promise<Blob> {
  const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="viewport"] canvas');
  if (!canvas) return Promise.reject(new Error('PNG export: the 3D view has no canvas yet'));
  // The canvas keeps its drawing buffer (preserveDrawingBuffer), so it holds the last frame.
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG export: the canvas could not be encoded'))), 'image/png'),
  );
}

/** The file of one kind: its name and bytes. */
export async function buildExport(kind: ExportKind): Promise<{ name: string; blob: Blob }> {
  const cloud = drawBuffers.cloud;
  const base = baseFileName();
  if (kind === 'png') return { name: `${base}.png`, blob: await canvasPng() };
  if (kind === 'png-legend') return { name: `${base}.figure.png`, blob: await figurePng() };
  if (kind === 'state') return { name: `${base}.state.json`, blob: new Blob([JSON.stringify(stateSnapshot(), null, 2)], { type: 'application/json' }) };
  if (!cloud) throw new Error('export: no scene is loaded');
  if (kind === 'features') {
    const ply = await selectedFeaturePly();
    return {
      name: `${base}.features-${useFieldLens.getState().teacher.activeSet ?? 'selected'}.ply`,
      blob: new Blob([ply], { type: 'application/octet-stream' }),
    };
  }
  const result = currentResult();
  const s = useFieldLens.getState();
  if (kind === 'instances')
    return { name: `${base}.instances.json`, blob: new Blob([instanceSummaryJson(s.resultQuery, s.instances)], { type: 'application/json' }) };
  if (kind === 'ply')
    return { name: `${base}.ply`, blob: new Blob([encodeResultPly(cloud, result) as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }) };
  const masks = resultMasks(result, cloud.count, s.resultQuery?.threshold ?? s.threshold);
  if (masks.length === 0) throw new Error('mask export: run a query first (there are no layers, labels or instances to export)');
  if (kind === 'masks-npy')
    return { name: `${base}.masks.npy`, blob: new Blob([masksToNpy(masks, cloud.count) as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }) };
  return { name: `${base}.masks.json`, blob: new Blob([masksToJson(masks, cloud.count)], { type: 'application/json' }) };
}

/** Saves a file through a temporary link to a blob URL. */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export async function exportFile(kind: ExportKind): Promise<void> {
  const { name, blob } = await buildExport(kind);
  download(name, blob);
}
