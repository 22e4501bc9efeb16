/**
 * *Render view* and the occupancy export: the worker renders the current cloud from the 3D view's
 * camera or an input camera (splats with a depth test and hole fill, core/render), the page reads
 * its per-point results through the returned point-index image (so the images show exactly the
 * colours the 3D view shows), writes the files and keeps the colour images for the overlay.
 *
 * Files: PNG for colour images (rgb, pca, relevancy, labels, instances; uncovered pixels
 * transparent), float32 .npy for depth (metres, 0 uncovered, [H, W]), relevancy (NaN uncovered,
 * [H, W]) and the feature image ([H, W, D], zeros uncovered). Its state is the bound store's
 * `renderView` field; the last render's colour images live in drawBuffers' `renderedBuffers`
 * (sole writer: this slice), replaced, never mutated.
 */
import { sceneWorker } from '../../../workers/scene/client.ts';
import type { RenderCamera, RenderedView } from '../../../workers/scene/studioViewProtocol.ts';
import { encodeNpy } from '../../core/formats/npyEncode.ts';
import { occupancyHeader } from '../../core/occupancy/semanticOccupancy.ts';
import { intrinsicsFromFov, openCvCameraToWorld, pixelColours, pixelScalars } from '../../core/render/viewRender.ts';
import type { RgbaImage } from '../../core/views/viewImages.ts';
import { COLOR_MODES, colorModeSpec, type ColorMode } from '../query/colorModes.ts';
import { baseFileName, download } from '../exportFiles.ts';
import { readViewCamera } from '../viewCameraProbe.ts';
import { progressProxy, withModelTask } from './querySlice.ts';
import { reportError } from './jobsSlice.ts';
import { drawBuffers, renderedBuffers, type RenderedImageKind, type ResultBuffers } from './drawBuffers.ts';

export type { RenderedImageKind } from './drawBuffers.ts';
/** The colour modes a render writes as images (colorModes.ts' `rendersImage`). */
const RENDERED_COLOR_MODES = COLOR_MODES.filter((mode) => colorModeSpec(mode).rendersImage);
/** The images a render writes, in the order the overlay offers them. */
export const RENDERED_IMAGES: readonly RenderedImageKind[] = ['rgb', 'depth', ...RENDERED_COLOR_MODES];
import { useFieldLens } from './store.ts';

export interface RenderViewState {
  /** Render from the 3D view's camera, or from input camera N. */
  camera: 'view' | number;
  /** Width of a render from the 3D view, pixels (the height follows the view's aspect). */
  viewWidth: number;
  /** Also write the D-channel feature image (`features.npy`). */
  withFeatures: boolean;
  running: boolean;
  /** Bumped when renderedBuffers are replaced. */
  version: number;
  last: {
    readonly camera: string;
    readonly width: number;
    readonly height: number;
    readonly renderMs: number;
    readonly coveredFraction: number;
    readonly files: readonly string[];
  } | null;
  /** The rendered image shown in the overlay, or null (overlay closed). */
  shown: RenderedImageKind | null;
  /** Voxel edge of the occupancy export, metres. */
  voxelMetres: number;
  occupancyRunning: boolean;
  lastOccupancy: { readonly shape: readonly number[]; readonly occupied: number; readonly ms: number } | null;
}

export interface RenderViewSlice {
  renderView: RenderViewState;
}

export function createRenderViewSlice(): RenderViewSlice {
  return {
    renderView: {
      camera: 'view',
      viewWidth: 640,
      withFeatures: true,
      running: false,
      version: 0,
      last: null,
      shown: null,
      voxelMetres: 0.02,
      occupancyRunning: false,
      lastOccupancy: null,
    },
  };
}

const getState = () => useFieldLens.getState().renderView;
function setState(patch: Partial<RenderViewState> | ((s: RenderViewState) => Partial<RenderViewState>)): void {
  useFieldLens.setState((s) => ({ renderView: { ...s.renderView, ...(typeof patch === 'function' ? patch(s.renderView) : patch) } }));
}

/** Per-point display colours of the current result in colour mode `mode` (the 3D view's own; App.tsx registers the renderer's writer). */
export type ModeColours = (mode: ColorMode, results?: Partial<ResultBuffers>) => Uint8Array | null;
let modeColours: ModeColours = () => null;
export function registerModeColours(colours: ModeColours): void {
  modeColours = colours;
}

export function updateRenderSettings(patch: Partial<Pick<RenderViewState, 'camera' | 'viewWidth' | 'withFeatures' | 'voxelMetres'>>): void {
  setState(patch);
}

/** A new scene: the last render's images belong to the old one, and its input cameras may be gone. */
export function clearRenderedView(): void {
  renderedBuffers.images = new Map();
  setState((s) => ({ version: s.version + 1, last: null, shown: null, lastOccupancy: null, camera: 'view' }));
}

export function showRenderedImage(kind: RenderedImageKind | null): void {
  setState({ shown: kind });
}

/** The chosen camera as a render request, and a short name for file names. */
function chosenCamera(): { camera: RenderCamera; name: string } {
  const { camera, viewWidth } = getState();
  if (camera === 'view') {
    const view = readViewCamera();
    const width = Math.max(16, Math.round(viewWidth));
    const height = Math.max(16, Math.round(width / view.aspect));
    return {
      camera: { intrinsics: intrinsicsFromFov(view.verticalFovDeg, width, height), cameraToWorld: openCvCameraToWorld(view.matrixWorld) },
      name: 'view',
    };
  }
  const input = useFieldLens.getState().cameras[camera];
  if (!input) throw new Error(`render view: the scene has no input camera ${camera}`);
  return { camera: { intrinsics: input.intrinsics, cameraToWorld: input.cameraToWorld }, name: `cam${camera}` };
}

/** Near = bright grey, far = dark, uncovered transparent (for the overlay only; depth.npy holds metres). */
function depthImage(view: RenderedView): RgbaImage {
  let min = Infinity,
    max = 0;
  for (const d of view.depthMetres)
    if (d > 0) {
      if (d < min) min = d;
      if (d > max) max = d;
    }
  const grey = new Uint8Array(view.width * view.height * 3);
  for (let k = 0; k < view.depthMetres.length; k++) {
    const d = view.depthMetres[k]!;
    if (d > 0) grey.fill(Math.round(255 - (200 * (d - min)) / Math.max(max - min, 1e-9)), 3 * k, 3 * k + 3);
  }
  return perPixelImage(view, grey);
}

/** RGBA of a per-pixel RGB image, transparent where no point was drawn. */
function perPixelImage(view: RenderedView, rgb: Uint8Array): RgbaImage {
  const identity = Int32Array.from(view.pointIndex, (i, k) => (i < 0 ? -1 : k));
  return pixelColours(identity, view.width, view.height, rgb);
}

async function pngBlob(image: RgbaImage): Promise<Blob> {
  const canvas = new OffscreenCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('render view: no 2D canvas to encode the PNG');
  context.putImageData(new ImageData(new Uint8ClampedArray(image.rgba), image.width, image.height), 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}

const npyBlob = (data: Float32Array | Int32Array | Uint8Array, shape: readonly number[], bool = false) =>
  new Blob([encodeNpy(data, shape, { bool }) as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' });

/** Renders the chosen camera's images, downloads them and shows the RGB image in the overlay. */
export async function renderView(): Promise<void> {
  if (!drawBuffers.cloud) return reportError(new Error('render view: no scene is loaded'));
  setState({ running: true });
  try {
    await withModelTask(async (signal) => {
      const { camera, name } = chosenCamera();
      const withFeatures = getState().withFeatures;
      const view = await sceneWorker.call('renderView', [{ camera, features: withFeatures }, progressProxy()], { signal });
      const pca = withFeatures ? (drawBuffers.pcaColors ?? (await sceneWorker.call('pcaColors', [progressProxy()], { signal }))) : null;
      const { width, height, pointIndex } = view;
      const images = new Map<RenderedImageKind, RgbaImage>([
        ['rgb', perPixelImage(view, view.rgb)],
        ['depth', depthImage(view)],
      ]);
      const base = `${baseFileName()}-${name}`;
      const files: { name: string; blob: () => Promise<Blob> }[] = [
        { name: `${base}.rgb.png`, blob: () => pngBlob(images.get('rgb')!) },
        { name: `${base}.depth.npy`, blob: () => Promise.resolve(npyBlob(view.depthMetres, [height, width])) },
      ];
      if (view.features) files.push({ name: `${base}.features.npy`, blob: () => Promise.resolve(npyBlob(view.features!, [height, width, view.featureDim])) });
      const s = useFieldLens.getState();
      const layer = drawBuffers.layers[s.activeLayer];
      if (layer) files.push({ name: `${base}.relevancy.npy`, blob: () => Promise.resolve(npyBlob(pixelScalars(pointIndex, layer), [height, width])) });
      // Every colour mode the table marks as rendered, with the colours the 3D view would show (the
      // PCA view computed for the render when the page has none yet); a mode without colours now is skipped.
      for (const mode of RENDERED_COLOR_MODES) {
        const colours = modeColours(mode, pca ? { pcaColors: pca } : {});
        if (!colours) continue;
        const image = pixelColours(pointIndex, width, height, colours);
        images.set(mode, image);
        files.push({ name: `${base}.${mode}.png`, blob: () => pngBlob(image) });
      }
      for (const file of files) download(file.name, await file.blob());
      let covered = 0;
      for (const i of pointIndex) if (i >= 0) covered++;
      renderedBuffers.images = images;
      setState((st) => ({
        version: st.version + 1,
        last: { camera: name, width, height, renderMs: view.renderMs, coveredFraction: covered / (width * height), files: files.map((f) => f.name) },
        shown: st.shown && images.has(st.shown) ? st.shown : 'rgb',
      }));
    });
  } finally {
    setState({ running: false });
  }
}

/** Writes the semantic occupancy grid of the current cloud (voxel size from the panel) with the labels and relevancy shown. */
export async function exportOccupancy(): Promise<void> {
  const cloud = drawBuffers.cloud;
  if (!cloud) return reportError(new Error('occupancy: no scene is loaded'));
  const s = useFieldLens.getState();
  const voxelMetres = getState().voxelMetres;
  setState({ occupancyRunning: true });
  try {
    const relevancy = drawBuffers.layers[s.activeLayer] ?? null;
    const grid = await sceneWorker.call('occupancy', [{ voxelMetres, labels: drawBuffers.labels, relevancy }]);
    const base = `${baseFileName()}.occupancy`;
    const files = { occupancy: `${base}.npy`, labels: `${base}-labels.npy`, relevancy: `${base}-relevancy.npy` };
    const header = occupancyHeader(grid, {
      labelNames: drawBuffers.labels ? s.labelNames : [],
      relevancyQuery: relevancy ? (s.layerInfo[s.activeLayer]?.label ?? s.resultQuery?.text ?? null) : null,
      files,
    });
    download(files.occupancy, npyBlob(grid.occupancy, grid.shape, true));
    download(files.labels, npyBlob(grid.labels, grid.shape));
    download(files.relevancy, npyBlob(grid.relevancy, grid.shape));
    download(`${base}.json`, new Blob([JSON.stringify(header, null, 2)], { type: 'application/json' }));
    setState({ lastOccupancy: { shape: grid.shape, occupied: header.occupiedVoxels, ms: grid.ms } });
  } catch (error) {
    reportError(error);
  } finally {
    setState({ occupancyRunning: false });
  }
}
