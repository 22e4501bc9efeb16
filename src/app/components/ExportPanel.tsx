import { exportFile, type ExportKind } from '../exportFiles.ts';
import { reportError } from '../store/jobsSlice.ts';
import { useFieldLens } from '../store/store.ts';

const BUTTONS: readonly { kind: ExportKind; label: string; title: string; needsResult: boolean }[] = [
  { kind: 'ply', label: 'PLY', title: 'x y z r g b relevancy label instance; loads back into FieldLens with its result', needsResult: false },
  {
    kind: 'features',
    label: 'Features PLY',
    title: 'x y z r g b feat_0… of the selected feature set (student / teacher / file); drop it back to query those features',
    needsResult: false,
  },
  { kind: 'masks-npy', label: 'Masks .npy', title: 'bool [masks, points]: one row per layer, label and instance', needsResult: true },
  { kind: 'masks-json', label: 'Masks JSON', title: 'point indices of every mask', needsResult: true },
  { kind: 'instances', label: 'Instances', title: 'instance list (count, centroid, box) as JSON', needsResult: true },
  { kind: 'png', label: 'PNG', title: 'the 3D view as shown', needsResult: false },
  {
    kind: 'png-legend',
    label: 'PNG + legend',
    title: 'the 3D view at 2× resolution with the colour bar (or label legend), the query and the formula drawn in: a figure',
    needsResult: false,
  },
  { kind: 'state', label: 'State', title: 'query and view as JSON; drop it on the page to restore them', needsResult: false },
];

/** Downloads of the current cloud, result, view and state. */
export function ExportPanel() {
  const hasScene = useFieldLens((s) => s.pointCount !== null);
  const hasResult = useFieldLens((s) => s.resultQuery !== null);
  return (
    <section className="panel-section export-panel" aria-label="Export">
      <h2>Export</h2>
      <div className="export-buttons">
        {BUTTONS.map((b) => (
          <button
            key={b.kind}
            type="button"
            data-testid={`export-${b.kind}`}
            title={b.title}
            disabled={!hasScene || (b.needsResult && !hasResult)}
            onClick={() => void exportFile(b.kind).catch(reportError)}
          >
            {b.label}
          </button>
        ))}
      </div>
    </section>
  );
}
