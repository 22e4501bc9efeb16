import { useEffect, useRef, useState } from 'react';
import { drawBuffers } from '../store/drawBuffers.ts';
import { reclusterInstances } from '../store/querySlice.ts';
import { useFieldLens } from '../store/store.ts';

const WIDTH = 256;
const HEIGHT = 48;

/**
 * The instance threshold over a live histogram of the shown layer's min–max normalised relevancy.
 * Dragging moves the marker; releasing re-makes the instances in the worker (no model re-runs).
 */
export function ThresholdHistogram() {
  const threshold = useFieldLens((s) => s.threshold);
  const queryVersion = useFieldLens((s) => s.queryVersion);
  const activeLayer = useFieldLens((s) => s.activeLayer);
  const hasLayers = useFieldLens((s) => s.layerInfo.length > 0);
  const reclustering = useFieldLens((s) => s.reclustering);
  const [dragged, setDragged] = useState<number | null>(null);
  const slider = useRef<HTMLInputElement>(null);
  const shown = dragged ?? threshold;

  // The native `change` event fires once on release (mouse, touch) or per key step — the moment to re-cluster.
  useEffect(() => {
    const input = slider.current;
    if (!input) return;
    const onRelease = () => {
      setDragged(null);
      void reclusterInstances(Number(input.value));
    };
    input.addEventListener('change', onRelease);
    return () => input.removeEventListener('change', onRelease);
  }, []);

  // Read when a result (or re-clustering) bumps queryVersion; the arrays never live in React state.
  const counts = hasLayers && queryVersion >= 0 ? drawBuffers.histograms[activeLayer] : undefined;
  let bars: { x: number; height: number; count: number }[] = [];
  if (counts) {
    // Log scale: a few hundred object points must stay visible next to a background of 100k.
    const peak = Math.log1p(Math.max(...counts));
    const width = WIDTH / counts.length;
    bars = Array.from(counts, (count, b) => ({ x: b * width, height: peak > 0 ? (Math.log1p(count) / peak) * HEIGHT : 0, count }));
  }

  return (
    <div className="threshold">
      <label>
        Instance threshold (min–max normalised): <span data-testid="threshold-value">{shown.toFixed(2)}</span>
        {reclustering && <span className="hint"> re-clustering…</span>}
        {counts && (
          <svg
            className="histogram"
            data-testid="threshold-histogram"
            viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
            preserveAspectRatio="none"
            role="img"
            aria-label="histogram of relevancy values"
          >
            {bars.map((bar, b) => (
              <rect
                key={b}
                x={bar.x}
                y={HEIGHT - bar.height}
                width={WIDTH / bars.length}
                height={bar.height}
                className={bar.x / WIDTH >= shown ? 'above' : 'below'}
              >
                <title>{`${bar.count} points`}</title>
              </rect>
            ))}
            <line className="threshold-marker" data-testid="threshold-marker" x1={shown * WIDTH} x2={shown * WIDTH} y1={0} y2={HEIGHT} />
          </svg>
        )}
        <input
          ref={slider}
          type="range"
          min={0.05}
          max={0.99}
          step={0.01}
          data-testid="threshold"
          value={shown}
          onChange={(e) => setDragged(Number(e.currentTarget.value))}
        />
      </label>
    </div>
  );
}
