/**
 * *Compare with…*: open a second scene (same feature space), place it beside or over the shown one,
 * and read the k best matches of a double-clicked point (similarity, position in metres).
 */
import { useShallow } from 'zustand/react/shallow';
import { closeCompareScene, openCompareScene, updateCompareSettings } from '../store/compareSlice.ts';
import { compareOffset } from '../store/comparePlacement.ts';
import { useFieldLens } from '../store/store.ts';
import { reportError } from '../store/jobsSlice.ts';
import { requestCamera } from '../store/viewSlice.ts';
import { filesFromDataTransfer } from '../readDrop.ts';
import type { Bounds3 } from '../../core/lift/pointCloud.ts';

const fmt = (p: readonly number[]) => p.map((v) => v.toFixed(3)).join(', ');

/** The box holding both scenes as drawn (the compared one at its offset). */
function bothBounds(main: Bounds3, other: Bounds3, offset: readonly number[]): Bounds3 {
  const min = [0, 1, 2].map((a) => Math.min(main.min[a]!, other.min[a]! + offset[a]!)) as [number, number, number];
  const max = [0, 1, 2].map((a) => Math.max(main.max[a]!, other.max[a]! + offset[a]!)) as [number, number, number];
  return { min, max, centroid: [0, 1, 2].map((a) => (min[a]! + max[a]!) / 2) as [number, number, number] };
}

/**
 * A file picker made on demand (not a permanent <input type=file>, so the page's own open-files
 * input stays the only one): the chosen files become the compared scene.
 */
function pickCompareFiles(): void {
  const input = document.createElement('input');
  input.type = 'file';
  input.multiple = true;
  input.addEventListener('change', () => {
    const files = Array.from(input.files ?? [], (file) => ({ path: file.webkitRelativePath || file.name, file }));
    void openCompareScene(files);
  });
  input.click();
}

export function ComparePanel() {
  const c = useFieldLens(useShallow((s) => s.compare));
  const mainBounds = useFieldLens((s) => s.bounds);
  const hasScene = useFieldLens((s) => s.pointCount !== null);
  const offset = compareOffset(c, mainBounds);
  return (
    <section
      className="panel-section compare-panel"
      aria-label="Compare with another scene"
      data-testid="compare-panel"
      data-open={c.name !== null ? 'true' : 'false'}
      // A drop on this panel opens the files as the compared scene (elsewhere they replace the shown one).
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        e.stopPropagation();
        filesFromDataTransfer(e.dataTransfer).then(openCompareScene, reportError);
      }}
    >
      <h2>Compare with…</h2>
      <p className="hint">Drop a capture here, or open its files: a second scene in the same feature space.</p>
      <button type="button" data-testid="compare-open" disabled={!hasScene || c.loading} onClick={pickCompareFiles}>
        {c.loading ? 'Opening…' : 'Open scene files…'}
      </button>
      {c.name !== null && (
        <>
          <p className="hint" data-testid="compare-summary">
            {c.name}: {c.pointCount} points, {c.featureDim}-d features ({c.featureSpace}). Double-click a point in either scene.
          </p>
          <label>
            Placement{' '}
            <select
              data-testid="compare-placement"
              value={c.placement}
              onChange={(e) => updateCompareSettings({ placement: e.target.value as typeof c.placement })}
            >
              <option value="side-by-side">side by side</option>
              <option value="overlay">overlaid with an offset</option>
            </select>
          </label>
          {c.placement === 'overlay' && (
            <label>
              Offset (m){' '}
              {[0, 1, 2].map((a) => (
                <input
                  key={a}
                  type="number"
                  step={0.05}
                  value={c.overlayOffset[a]}
                  aria-label={`offset ${'xyz'[a]}`}
                  onChange={(e) => {
                    const next = [...c.overlayOffset] as [number, number, number];
                    next[a] = Number(e.target.value);
                    updateCompareSettings({ overlayOffset: next });
                  }}
                />
              ))}
            </label>
          )}
          <label>
            Matches k{' '}
            <input
              type="number"
              min={1}
              max={50}
              value={c.k}
              data-testid="compare-k"
              onChange={(e) => updateCompareSettings({ k: Math.max(1, Math.min(50, Number(e.target.value) || 1)) })}
            />
          </label>
          <div className="export-buttons">
            <button
              type="button"
              data-testid="compare-fit"
              disabled={!mainBounds || !c.bounds}
              onClick={() => mainBounds && c.bounds && requestCamera({ kind: 'focus', bounds: bothBounds(mainBounds, c.bounds, offset) })}
            >
              Fit both
            </button>
            <button type="button" data-testid="compare-close" onClick={() => void closeCompareScene()}>
              Close
            </button>
          </div>
          {c.seed && (
            <div data-testid="compare-result" data-from={c.seed.side}>
              <p className="hint">
                Point {c.seed.index} of the {c.seed.side === 'main' ? 'shown' : 'compared'} scene at ({fmt(c.seed.position)}) m; best matches in the{' '}
                {c.seed.side === 'main' ? 'compared' : 'shown'} scene{c.matchMs !== null ? ` (${c.matchMs.toFixed(0)} ms)` : ''}:
              </p>
              <ol className="compare-matches" data-testid="compare-matches">
                {c.matches.map((m) => (
                  <li key={m.index} data-testid="compare-match" data-index={m.index} data-similarity={m.similarity} data-position={m.position.join(',')}>
                    {m.similarity.toFixed(3)} at ({fmt(m.position)}) m
                  </li>
                ))}
              </ol>
            </div>
          )}
        </>
      )}
    </section>
  );
}
