/**
 * The 2D overlay of the last *Render view*: one of its images (RGB, depth, PCA, relevancy, labels,
 * instances) beside the 3D view. `data-ready="true"` once the chosen image is drawn.
 */
import { useEffect, useRef, useState } from 'react';
import { RENDERED_IMAGES, showRenderedImage } from '../store/renderViewSlice.ts';
import { renderedBuffers } from '../store/drawBuffers.ts';
import { useFieldLens } from '../store/store.ts';

export function RenderedViewOverlay() {
  const shown = useFieldLens((s) => s.renderView.shown);
  const version = useFieldLens((s) => s.renderView.version);
  const canvas = useRef<HTMLCanvasElement>(null);
  const wantedKey = `${version}:${shown}`;
  const [drawnKey, setDrawnKey] = useState('');

  useEffect(() => {
    const image = shown ? renderedBuffers.images.get(shown) : undefined;
    const target = canvas.current;
    if (!image || !target) return;
    target.width = image.width;
    target.height = image.height;
    target.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(image.rgba), image.width, image.height), 0, 0);
    setDrawnKey(wantedKey);
  }, [shown, wantedKey]);

  if (shown === null) return null;
  const available = RENDERED_IMAGES.filter((kind) => renderedBuffers.images.has(kind));
  return (
    <section className="overlay-panel rendered-overlay" data-testid="render-overlay" data-ready={drawnKey === wantedKey ? 'true' : 'false'} data-image={shown}>
      <header>
        <select
          data-testid="render-overlay-image"
          aria-label="rendered image"
          value={shown}
          onChange={(e) => showRenderedImage(e.target.value as typeof shown)}
        >
          {available.map((kind) => (
            <option key={kind} value={kind}>
              rendered {kind}
            </option>
          ))}
        </select>
        <button type="button" aria-label="close the rendered view" onClick={() => showRenderedImage(null)}>
          ×
        </button>
      </header>
      <canvas ref={canvas} data-testid="render-overlay-canvas" />
    </section>
  );
}
