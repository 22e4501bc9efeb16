import { SEGMENT_SOURCE_IDS, SEGMENT_SOURCES, type SegmentSource } from '../../core/segments/segmentSources.ts';
import { download } from '../exportFiles.ts';
import { focusSegment, isolateSegment, runMaskQuery, segmentExports, updateSegmentSettings } from '../store/segmentSlice.ts';
import { useFieldLens } from '../store/store.ts';

const fmt = (v: readonly number[]) => v.map((x) => x.toFixed(2)).join(', ');

function exportSegments(): void {
  const files = segmentExports();
  if (!files) return;
  download('segments.npy', new Blob([files.npy as BlobPart], { type: 'application/octet-stream' }));
  download('segments.json', new Blob([files.json], { type: 'application/json' }));
  download('segments.table.json', new Blob([files.table], { type: 'application/json' }));
}

/**
 * Mask mode (segments ranked by the query, one feature each) and spatial relations (a query such as
 * "red ball left of green box" answered with a target, a reference and runners-up).
 */
export function SegmentPanel() {
  const p = useFieldLens((s) => s.segments);
  const text = useFieldLens((s) => s.queryText);
  const hasScene = useFieldLens((s) => s.pointCount !== null);
  const relation = p.shown === 'relation' ? p.relation : null;
  const mask = p.shown === 'mask' ? p.mask : null;
  return (
    <section className="panel-section" aria-label="Segments" data-testid="segment-panel" data-isolated={p.isolated ?? ''} data-shown={p.shown ?? ''}>
      <h2>Segments and relations</h2>
      <div className="query-settings">
        <label>
          Segments{' '}
          <select data-testid="segment-source" value={p.source} onChange={(e) => updateSegmentSettings({ source: e.currentTarget.value as SegmentSource })}>
            {SEGMENT_SOURCE_IDS.map((id) => (
              <option key={id} value={id} title={SEGMENT_SOURCES[id].help}>
                {SEGMENT_SOURCES[id].label}
              </option>
            ))}
          </select>
        </label>
        <label title="left / right / behind / in front of: seen from input camera 0 instead of the current 3D view">
          <input type="checkbox" checked={p.useInputCamera} onChange={(e) => updateSegmentSettings({ useInputCamera: e.currentTarget.checked })} /> relations
          from input camera 0
        </label>
        <label title='a query such as "red ball left of green box" is also resolved as a relation'>
          <input type="checkbox" checked={p.resolveRelations} onChange={(e) => updateSegmentSettings({ resolveRelations: e.currentTarget.checked })} /> resolve
          relations
        </label>
      </div>
      <div className="buttons">
        <button type="button" data-testid="mask-query" disabled={p.running || !hasScene || text.trim() === ''} onClick={() => void runMaskQuery()}>
          {p.running ? 'Ranking…' : 'Rank segments (mask mode)'}
        </button>
        {mask && (
          <button type="button" data-testid="segment-export" onClick={exportSegments}>
            Export masks + table
          </button>
        )}
      </div>
      {relation && (
        <div className="relation" data-testid="relation-answer">
          <p>
            <strong>{relation.target.phrase}</strong> {relation.label} <strong>{relation.reference.phrase}</strong>: segment {relation.target.segment} at [
            {fmt(relation.target.centroid)}] m, score {relation.target.score.toFixed(3)}
            {relation.target.holds ? '' : ' (nothing satisfies the relation; closest shown)'} — reference segment {relation.reference.segment} at [
            {fmt(relation.reference.centroid)}] m, seen from {relation.frame.cameraSource}
          </p>
          <ol data-testid="relation-candidates">
            {relation.candidates.slice(0, 8).map((c) => (
              <li key={`${c.target}:${c.reference}`} data-testid="relation-candidate">
                target {c.target} → reference {c.reference}: {c.score.toFixed(3)}
                {c.holds ? '' : ' ✗'}
              </li>
            ))}
          </ol>
        </div>
      )}
      {mask && (
        <div className="instances">
          <h3>
            Segments (<span data-testid="segment-count">{mask.rows.length}</span>) for “{mask.text}”,{' '}
            {mask.featureKind === 'teacher' ? "teacher's fused" : 'mean'} features, {mask.totalMs.toFixed(0)} ms — click one to isolate it
          </h3>
          {p.isolated !== null && (
            <button type="button" data-testid="segment-show-all" onClick={() => isolateSegment(null)}>
              Show all
            </button>
          )}
          <ol data-testid="segment-list">
            {mask.rows.slice(0, 50).map((r) => (
              <li key={r.id}>
                <button
                  type="button"
                  className={`instance${p.isolated === r.id ? ' active' : ''}`}
                  data-testid="segment-row"
                  data-segment={r.id}
                  title={`min [${fmt(r.min)}] max [${fmt(r.max)}] m`}
                  onClick={() => isolateSegment(p.isolated === r.id ? null : r.id)}
                >
                  #{r.id} {mask.labelNames && r.label !== undefined && r.label >= 0 ? `${mask.labelNames[r.label]} ` : ''}score {r.score.toFixed(3)},{' '}
                  {r.count.toLocaleString('en')} points at [{fmt(r.centroid)}] m
                </button>{' '}
                <button type="button" className="focus" title="focus the camera on this segment" onClick={() => focusSegment(r.id)}>
                  ⌖
                </button>
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
