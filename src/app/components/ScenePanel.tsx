import { useRef } from 'react';
import { INTRINSICS_PRESETS } from '../../core/parse/intrinsics.ts';
import { loadFiles, setDepthScale, setIntrinsicsPreset } from '../store/actions.ts';
import { useFieldLens } from '../store/store.ts';

/** What is loaded (counts, timing, what was detected) and how dropped depth is interpreted. */
export function ScenePanel() {
  const pointCount = useFieldLens((s) => s.pointCount);
  const liftMs = useFieldLens((s) => s.liftMs);
  const description = useFieldLens((s) => s.sceneDescription);
  const depthScale = useFieldLens((s) => s.depthScale);
  const presetId = useFieldLens((s) => s.intrinsicsPresetId);
  const busy = useFieldLens((s) => s.busy);
  const picker = useRef<HTMLInputElement>(null);

  return (
    <section className="panel-section" aria-label="Scene">
      <h2>Scene</h2>
      <p className="scene-description" data-testid="scene-description">{busy ?? description}</p>
      <dl className="stats">
        <dt>Points</dt>
        <dd data-testid="point-count">{pointCount ?? ''}</dd>
        <dt>Lift time</dt>
        <dd data-testid="lift-time">{liftMs === null ? '' : `${liftMs.toFixed(0)} ms`}</dd>
      </dl>
      <label>
        Depth units per metre
        <input
          type="number"
          min={1}
          step="any"
          value={depthScale}
          data-testid="depth-scale"
          onChange={(e) => {
            const v = Number(e.currentTarget.value);
            if (Number.isFinite(v) && v > 0) setDepthScale(v);
          }}
        />
      </label>
      <label>
        Camera intrinsics (when no JSON is dropped)
        <select value={presetId} data-testid="intrinsics-preset" onChange={(e) => setIntrinsicsPreset(e.currentTarget.value)}>
          <option value="">None — drop an Open3D intrinsics .json</option>
          {INTRINSICS_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => picker.current?.click()}>
        Open files…
      </button>
      <input
        ref={picker}
        type="file"
        multiple
        hidden
        accept=".png,.jpg,.jpeg,.json"
        onChange={(e) => {
          void loadFiles(Array.from(e.currentTarget.files ?? []));
          e.currentTarget.value = '';
        }}
      />
      <p className="hint">Drop a colour image, a 16-bit depth PNG and an intrinsics JSON anywhere on the page.</p>
    </section>
  );
}
