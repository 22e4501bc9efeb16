/**
 * The 2D panel beside the 3D view: one input image with the current per-point colours (heatmap,
 * labels, instances…) drawn back onto the pixels the points came from. Redrawn when the view, the
 * scene, a result or the colour mode changes; `data-ready="true"` once the current state is drawn.
 */
import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useFieldLens, type FieldLensState } from '../store/store.ts';
import { drawBuffers } from '../store/drawBuffers.ts';
import { reportError } from '../store/jobsSlice.ts';
import { setOverlayView } from '../store/viewSlice.ts';
import { viewImage } from '../store/sceneSlice.ts';
import { drawKey } from '../store/viewSettings.ts';
import { overlayPointColors } from '../../core/views/overlayPoints.ts';
import { colorModeSpec } from '../query/colorModes.ts';

/** How strongly results cover the photo: enough to read the colour scale, the photo still shows. */
const OVERLAY_OPACITY = 0.85;

/** `displayColorsFor`: the 3D view's per-point colours of a state (3 bytes a point; App.tsx passes the renderer's cache). */
export function ImageOverlayPanel({ displayColorsFor }: { readonly displayColorsFor: (state: FieldLensState) => Uint8Array | null }) {
  const { overlayView, cameras, colorMode } = useFieldLens(useShallow((s) => ({ overlayView: s.overlayView, cameras: s.cameras, colorMode: s.colorMode })));
  const canvas = useRef<HTMLCanvasElement>(null);
  // Everything the drawn colours depend on (scene, result, mode, layer, colour map) is in drawKey.
  const wantedKey = `${overlayView}:${useFieldLens(drawKey)}`;
  const [drawnKey, setDrawnKey] = useState('');

  useEffect(() => {
    if (overlayView === null) return;
    let cancelled = false;
    viewImage(overlayView).then((view) => {
      const cloud = drawBuffers.cloud;
      const target = canvas.current;
      if (cancelled || !cloud || !target) return;
      let image = view.image;
      if (drawBuffers.sources && colorModeSpec(colorMode).paintsImage) {
        // The same colours the 3D view draws (shared cache), so both panels always agree.
        const colours = displayColorsFor(useFieldLens.getState());
        if (colours)
          image = overlayPointColors(
            { image, depthWidth: view.depthWidth, depthHeight: view.depthHeight, viewIndex: overlayView },
            drawBuffers.sources,
            colours,
            OVERLAY_OPACITY,
          );
      }
      target.width = image.width;
      target.height = image.height;
      target.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(image.rgba), image.width, image.height), 0, 0);
      setDrawnKey(wantedKey);
    }, reportError);
    return () => {
      cancelled = true;
    };
  }, [overlayView, wantedKey, colorMode, displayColorsFor]);

  if (overlayView === null) return null;
  return (
    <section className="overlay-panel" data-testid="overlay-panel" data-ready={drawnKey === wantedKey ? 'true' : 'false'} aria-label="input image with results">
      <header>
        <select data-testid="overlay-view" aria-label="input view" value={overlayView} onChange={(e) => setOverlayView(Number(e.target.value))}>
          {cameras.map((c, i) => (
            <option key={i} value={i}>
              {i}: {c.name}
            </option>
          ))}
        </select>
        <button type="button" aria-label="close the 2D overlay" onClick={() => setOverlayView(null)}>
          ×
        </button>
      </header>
      <canvas ref={canvas} data-testid="overlay-canvas" />
    </section>
  );
}
