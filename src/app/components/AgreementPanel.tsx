import { useEffect, useMemo, useRef, useState } from 'react';
import { overheadCamera, splatScalarField } from '../../core/views/splatView.ts';
import { compareQuery, showAgreement } from '../store/actions.ts';
import { drawBuffers } from '../store/drawBuffers.ts';
import { useFieldLens } from '../store/store.ts';

/**
 * Teacher vs student: the per-point agreement (cosine between two feature sets, mean shown) and
 * one query's relevancy on both sets side by side, seen through the first input camera.
 */
export function AgreementPanel({ featureSets }: { readonly featureSets: readonly string[] }) {
  const [a, setA] = useState('teacher');
  const [b, setB] = useState('student');
  const info = useFieldLens((s) => s.agreementInfo);
  const comparison = useFieldLens((s) => s.comparisonInfo);
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
        <div className="side-by-side" data-testid="side-by-side">
          <SplatCanvas which="a" label={`${comparison.a} · ${comparison.text}`} />
          <SplatCanvas which="b" label={`${comparison.b} · ${comparison.text}`} />
        </div>
      )}
      <p className="hint">Feature sets: the student, the file's own features and teacher runs. The side-by-side views share one colour scale and look through the first input camera.</p>
    </section>
  );
}

function SplatCanvas({ which, label }: { readonly which: 'a' | 'b'; readonly label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const queryVersion = useFieldLens((s) => s.queryVersion);
  const comparison = useFieldLens((s) => s.comparisonInfo);
  const inputCamera = useFieldLens((s) => s.cameras[0] ?? null);
  const bounds = useFieldLens((s) => s.bounds);
  const camera = useMemo(() => inputCamera ?? (bounds ? overheadCamera(bounds) : null), [inputCamera, bounds]);
  useEffect(() => {
    const canvas = ref.current;
    const cloud = drawBuffers.cloud;
    const values = drawBuffers.comparison?.[which];
    if (!canvas || !cloud || !values || !camera || !comparison) return;
    const { width, height } = camera.intrinsics;
    canvas.width = width;
    canvas.height = height;
    const rgba = splatScalarField(cloud.positions, cloud.count, values, comparison.min, comparison.max, camera);
    canvas.getContext('2d')?.putImageData(new ImageData(rgba, width, height), 0, 0);
  }, [which, queryVersion, comparison, camera]);
  return (
    <figure>
      <canvas ref={ref} data-testid={`compare-${which}`} />
      <figcaption>{label}</figcaption>
    </figure>
  );
}
