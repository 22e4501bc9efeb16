import { setSplitView } from '../store/viewSlice.ts';
import { useFieldLens } from '../store/store.ts';

/** Names the two halves of the split view (teacher vs student) and closes it. */
export function SplitCaptions() {
  const comparison = useFieldLens((s) => (s.splitView ? s.comparisonInfo : null));
  if (!comparison) return null;
  return (
    <div className="split-captions" data-testid="side-by-side" aria-label="split view">
      <span className="split-caption" data-testid="compare-a">
        {comparison.a}
      </span>
      <span className="split-divider" />
      <span className="split-caption" data-testid="compare-b">
        {comparison.b}
      </span>
      <button type="button" className="split-close" data-testid="split-close" title="Back to one view" onClick={() => setSplitView(false)}>
        ×
      </button>
    </div>
  );
}
