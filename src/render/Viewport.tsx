/**
 * The 3D viewport: an on-demand R3F canvas (no redraw when nothing changed); the camera and its
 * controls live in CameraRig. `data-ready="true"` is set once a frame showing the current scene +
 * query + colour mode, seen from the scene's framed start view, has actually been rendered — the
 * signal end-to-end tests and scripts wait for.
 */
import { addAfterEffect, Canvas, useThree } from '@react-three/fiber';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useFieldLens } from '../app/store/store.ts';
import { PointCloudPoints } from './PointCloudPoints.tsx';
import { CameraFrusta } from './CameraFrusta.tsx';
import { CameraRig, DEFAULT_FOV_DEG } from './CameraRig.tsx';
import { frameKey } from '../app/store/viewSettings.ts';
import { EyeDomeLighting, ViewBackground } from './ViewEffects.tsx';
import { VoxelCloud } from './VoxelCloud.tsx';
import { FrameProbe } from './FrameProbe.tsx';
import { SplitComparison, splitFrameKey } from './SplitComparison.tsx';
import { copyCanvas } from './canvasCapture.ts';
import { RelationOverlay } from './RelationOverlay.tsx';
import { ComparePoints } from './ComparePoints.tsx';
import { ViewCameraProbe } from './ViewCameraProbe.tsx';

/** The canvas follows the screen's pixel ratio, clamped to 1 … 2. */
const SCREEN_DPR: [number, number] = [1, 2];
const screenDpr = () => Math.min(Math.max(window.devicePixelRatio || 1, SCREEN_DPR[0]), SCREEN_DPR[1]);
const noUpload = () => undefined;

/**
 * Inside the Canvas, after every other child: its layout effect runs once the children have
 * applied a new pixel ratio (point sizes, EDL targets), i.e. the next frame is drawn at that ratio.
 */
function PixelRatioProbe({ onApplied }: { readonly onApplied: (dpr: number, invalidate: () => void) => void }) {
  const dpr = useThree((s) => s.viewport.dpr);
  const invalidate = useThree((s) => s.invalidate);
  useLayoutEffect(() => onApplied(dpr, invalidate), [dpr, invalidate, onApplied]);
  return null;
}
import type { ViewportCallbacks } from './viewportCallbacks.ts';

export function Viewport({ callbacks }: { readonly callbacks: ViewportCallbacks }) {
  const sceneVersion = useFieldLens((s) => s.sceneVersion);
  const viewpoint = useFieldLens((s) => s.viewpoint);
  // The scene whose framed start view has been drawn (CameraRig): until then the cloud may be off screen.
  const [framedViewpoint, setFramedViewpoint] = useState<unknown>(null);
  // Everything drawn: scene, result, colour mode, layer and the view settings (viewSettings.ts).
  const split = useFieldLens((s) => s.splitView && s.comparisonInfo !== null);
  const shownKey = useFieldLens(frameKey);
  const wantedKey = split ? splitFrameKey(shownKey) : shownKey;
  const voxelMode = useFieldLens((s) => s.viewSettings.voxelMode);
  // Until the worker's first cubes of this scene arrive (or when it refused them) the points stay
  // drawn, so voxel mode never shows an empty canvas.
  const cubesShown = useFieldLens((s) => s.voxels !== null && !s.voxels.failed && s.voxels.sceneVersion === s.sceneVersion);
  const eyeDomeLighting = useFieldLens((s) => s.viewSettings.eyeDomeLighting);
  const [drawnKey, setDrawnKey] = useState('');
  const uploadedKey = useRef('');
  // Figure export: the canvas is rendered at captureScale × the screen's pixel ratio for one frame.
  const [captureScale, setCaptureScale] = useState(1);
  const container = useRef<HTMLDivElement>(null);
  const ratioWaiters = useRef<{ dpr: number; resolve: (invalidate: () => void) => void }[]>([]);
  const onRatioApplied = useCallback((dpr: number, invalidate: () => void) => {
    const ready = ratioWaiters.current.filter((w) => Math.abs(w.dpr - dpr) < 1e-6);
    ratioWaiters.current = ratioWaiters.current.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(invalidate);
  }, []);
  useEffect(
    () =>
      callbacks.onCaptureReady(async (scale) => {
        const canvas = container.current?.querySelector('canvas');
        if (!canvas) throw new Error('figure export: the 3D view has no canvas yet');
        const dpr = screenDpr() * scale;
        const invalidate = await new Promise<() => void>((resolve) => {
          ratioWaiters.current.push({ dpr, resolve });
          setCaptureScale(scale);
        });
        try {
          // One frame at the new ratio, then copy it before the ratio goes back.
          await new Promise<void>((resolve) => {
            const remove = addAfterEffect(() => {
              remove();
              resolve();
            });
            invalidate();
          });
          return copyCanvas(canvas);
        } finally {
          setCaptureScale(1);
        }
      }),
    [callbacks],
  );

  const onUploaded = useCallback((key: string) => {
    uploadedKey.current = key;
  }, []);

  // After each rendered frame: if it showed newly uploaded buffers, record that (once per version).
  useEffect(
    () =>
      addAfterEffect(() => {
        const key = uploadedKey.current;
        if (key !== '') setDrawnKey((prev) => (prev === key ? prev : key));
      }),
    [],
  );

  return (
    <div
      ref={container}
      className="viewport"
      data-testid="viewport"
      data-split={split ? 'true' : 'false'}
      data-ready={sceneVersion > 0 && drawnKey === wantedKey && framedViewpoint === viewpoint ? 'true' : 'false'}
    >
      <Canvas
        frameloop="demand"
        // No tone mapping: the point and voxel materials write their colours unaltered, so pixels
        // can be compared with the input images; the background hex colour is converted to the
        // linear working space and back to sRGB on output, i.e. it also arrives as given.
        flat
        dpr={captureScale === 1 ? SCREEN_DPR : screenDpr() * captureScale}
        gl={{ preserveDrawingBuffer: true, antialias: false }}
        camera={{ fov: DEFAULT_FOV_DEG, near: 0.01, far: 100 }}
      >
        <ViewBackground />
        {/* The split view draws its own two heatmaps (points only, no EDL pass). */}
        <PointCloudPoints
          onUploaded={split || voxelMode ? noUpload : onUploaded}
          onPickPoint={callbacks.onPickPoint}
          hidden={(voxelMode && cubesShown) || split}
        />
        {voxelMode && !split && <VoxelCloud onVoxelsWanted={callbacks.onVoxelsWanted} onUploaded={onUploaded} />}
        {eyeDomeLighting && !split && <EyeDomeLighting />}
        {split && <SplitComparison onUploaded={onUploaded} />}
        <CameraFrusta onLookThrough={callbacks.onLookThrough} />
        <RelationOverlay />
        <ComparePoints onPickOther={callbacks.onPickComparedPoint} />
        <ViewCameraProbe onReady={callbacks.onViewCameraReady} />
        <CameraRig onFramed={setFramedViewpoint} onLookingThroughChange={callbacks.onLookingThroughChange} onCameraRest={callbacks.onCameraRest} />
        {/* Render measurements for the bench build's hooks only (see src/devHooks/testHooks.ts). */}
        {import.meta.env.MODE !== 'production' && <FrameProbe />}
        <PixelRatioProbe onApplied={onRatioApplied} />
      </Canvas>
    </div>
  );
}
