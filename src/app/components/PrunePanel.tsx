/**
 * SparseDFF's feature tools: point pruning for feature continuity (a cosine threshold, Apply —
 * re-computed from the unpruned scene each time — and Restore, with the point counts before and
 * after), and the per-scene refinement of the selected feature set into the 'refined' set.
 */
import { useShallow } from 'zustand/react/shallow';
import { PRUNE_DEFAULTS } from '../../core/match/pruneFeatures.ts';
import { applyPrune, isPruned, restorePrunedPoints, setPruneThreshold } from '../store/pruneSlice.ts';
import { useFieldLens } from '../store/store.ts';
import { refineSelectedFeatures } from '../store/teacherSlice.ts';

export function PrunePanel() {
  const p = useFieldLens(useShallow((s) => s.prune));
  const pruned = useFieldLens(isPruned);
  const pointCount = useFieldLens((s) => s.pointCount);
  const busy = useFieldLens((s) => s.queryRunning);
  const refining = useFieldLens((s) => s.teacher.refining);
  const refinement = useFieldLens((s) => s.teacher.refinement);
  return (
    <section
      className="panel-section prune-panel"
      aria-label="Prune points by feature continuity"
      data-testid="prune-panel"
      data-pruned={pruned ? 'true' : 'false'}
    >
      <h2>Prune by feature continuity</h2>
      <p className="hint">
        Removes points whose feature agrees (cosine ≥ threshold) with fewer than half of their {PRUNE_DEFAULTS.neighbours} nearest neighbours. Uses the selected
        feature set (computed first if needed).
      </p>
      <label>
        Cosine threshold{' '}
        <input
          type="range"
          min={-1}
          max={1}
          step={0.01}
          value={p.minCosine}
          data-testid="prune-threshold-slider"
          onChange={(e) => setPruneThreshold(Number(e.target.value))}
        />
        <input
          type="number"
          min={-1}
          max={1}
          step={0.01}
          value={p.minCosine}
          data-testid="prune-threshold"
          aria-label="cosine threshold"
          onChange={(e) => setPruneThreshold(Number(e.target.value))}
        />
      </label>
      <div className="export-buttons">
        <button type="button" data-testid="prune-apply" disabled={pointCount === null || p.running || busy} onClick={() => void applyPrune()}>
          {p.running ? 'Pruning…' : 'Apply'}
        </button>
        <button type="button" data-testid="prune-restore" disabled={!pruned || p.running || busy} onClick={() => void restorePrunedPoints()}>
          Restore all points
        </button>
      </div>
      {pruned && (
        <p className="hint" data-testid="prune-counts" data-before={p.before ?? ''} data-after={p.after ?? ''}>
          {p.before} → {p.after} points ({(p.before ?? 0) - (p.after ?? 0)} removed{p.ms !== null ? `, ${p.ms.toFixed(0)} ms` : ''})
        </p>
      )}
      <h2>Refine features</h2>
      <p className="hint">
        Trains a linear map on the selected features for a few seconds: features of the same 3D location seen by two cameras pulled together, random pairs
        pushed apart. The result is the feature set “refined”.
      </p>
      <button type="button" data-testid="refine-apply" disabled={pointCount === null || refining || busy} onClick={() => void refineSelectedFeatures()}>
        {refining ? 'Refining…' : 'Refine features'}
      </button>
      {refinement && (
        <p
          className="hint"
          data-testid="refine-summary"
          data-agreement-before={refinement.agreementBefore}
          data-agreement-after={refinement.agreementAfter}
          data-agreement-with-source={refinement.agreementWithSource}
          data-first-loss={refinement.firstLoss}
          data-last-loss={refinement.lastLoss}
        >
          {refinement.from} → refined: {refinement.pairs} {refinement.crossView ? 'cross-view' : 'neighbour'} pairs, loss {refinement.firstLoss.toFixed(3)} →{' '}
          {refinement.lastLoss.toFixed(3)} in {refinement.steps} steps; pair agreement {refinement.agreementBefore.toFixed(3)} →{' '}
          {refinement.agreementAfter.toFixed(3)}; agreement with {refinement.from} {refinement.agreementWithSource.toFixed(3)} ({refinement.ms.toFixed(0)} ms)
        </p>
      )}
    </section>
  );
}
