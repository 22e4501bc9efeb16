import { useState } from 'react';
import { compareQuery, showAgreement } from '../store/querySlice.ts';
import { useFieldLens } from '../store/store.ts';
import { setSplitView } from '../store/viewSlice.ts';

/**
 * Teacher vs student: the per-point agreement (cosine between two feature sets, mean shown) and
 * one query's relevancy on both sets side by side (the 3D view splits in two: SplitComparison).
 */
export function AgreementPanel({ featureSets }: { readonly featureSets: readonly string[] }) {
  const [a, setA] = useState('teacher');
  const [b, setB] = useState('student');
  const info = useFieldLens((s) => s.agreementInfo);
  const comparison = useFieldLens((s) => s.comparisonInfo);
  const split = useFieldLens((s) => s.splitView);
  const running = useFieldLens((s) => s.queryRunning);
  const queryText = useFieldLens((s) => s.queryText);
  const options = [...new Set([a, b, ...featureSets])];
  const picker = (value: string, set: (v: string) => void, testId: string) => (
    <select data-testid={testId} value={value} onChange={(e) => set(e.currentTarget.value)}>
      {options.map((id) => (
        <option key={id} value={id}>
          {id}
        </option>
      ))}
    </select>
  );
  return (
    <section className="panel-section" aria-label="Teacher vs student">
      <h2>Teacher vs student</h2>
      <div className="agreement-pickers">
        {picker(a, setA, 'agreement-a')} vs {picker(b, setB, 'agreement-b')}
      </div>
      <div className="agreement-actions">
        <button type="button" data-testid="agreement-run" disabled={running} onClick={() => void showAgreement(a, b)}>
          Agreement
        </button>
        <button type="button" data-testid="compare-run" disabled={running} onClick={() => void compareQuery(queryText, a, b)}>
          Side by side
        </button>
      </div>
      {info && (
        <p>
          mean cosine {info.a} vs {info.b}: <strong data-testid="agreement-mean">{info.mean.toFixed(3)}</strong>
        </p>
      )}
      {comparison && (
        <label className="checkbox">
          <input type="checkbox" data-testid="split-view" checked={split} onChange={(e) => setSplitView(e.currentTarget.checked)} /> Split view: {comparison.a}{' '}
          | {comparison.b} · “{comparison.text}”
        </label>
      )}
      <p className="hint">
        Feature sets: the student, the file's own features and teacher runs. Side by side splits the 3D view: both halves follow the same camera and share one
        colour scale.
      </p>
    </section>
  );
}
