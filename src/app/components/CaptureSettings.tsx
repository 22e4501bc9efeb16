import { useState } from 'react';
import { INTRINSICS_PRESETS } from '../../core/parse/intrinsics.ts';
import { reloadWithSettings, updateCaptureSettings } from '../store/actions.ts';
import { useFieldLens } from '../store/store.ts';

const DEPTH_SCALE_PRESETS: readonly { value: number | 'auto'; label: string }[] = [
  { value: 'auto', label: 'Auto — by format (TUM 5000, else 1000)' },
  { value: 1000, label: '1000 — mm (Redwood, ScanNet, RealSense, Kinect)' },
  { value: 5000, label: '5000 — TUM RGB-D' },
  { value: 6553.5, label: '6553.5 — Replica' },
];

/** Parses "fx fy cx cy" (commas or spaces); null when empty; throws nothing — invalid text is shown as such. */
function parseTypedIntrinsics(text: string): { fx: number; fy: number; cx: number; cy: number } | null | 'invalid' {
  if (text.trim() === '') return null;
  const v = text.split(/[\s,]+/).filter(Boolean).map(Number);
  if (v.length !== 4 || v.some((x) => !Number.isFinite(x)) || v[0]! <= 0 || v[1]! <= 0) return 'invalid';
  return { fx: v[0]!, fy: v[1]!, cx: v[2]!, cy: v[3]! };
}

/** How the NEXT drop is interpreted: depth scale, intrinsics fallback, filters. */
export function CaptureSettings() {
  const depthScale = useFieldLens((s) => s.depthScale);
  const presetId = useFieldLens((s) => s.intrinsicsPresetId);
  const voxelSize = useFieldLens((s) => s.voxelSize);
  const minDepth = useFieldLens((s) => s.minDepth);
  const maxDepth = useFieldLens((s) => s.maxDepth);
  const removeOutliers = useFieldLens((s) => s.removeOutliers);
  const maxFrames = useFieldLens((s) => s.maxFrames);
  const [intrinsicsText, setIntrinsicsText] = useState('');
  const firstCamera = useFieldLens((s) => s.cameras[0]);
  const reloadable = useFieldLens((s) => s.sceneFromDrop && s.busy === null);
  const hasScene = useFieldLens((s) => s.sceneVersion > 0);
  const typed = parseTypedIntrinsics(intrinsicsText);
  const isPreset = DEPTH_SCALE_PRESETS.some((p) => p.value === depthScale);

  return (
    // Open until a scene is loaded; then the scene, not how to read the next drop, has the room.
    <details className="capture-settings" data-testid="capture-settings" open={!hasScene}>
      <summary>Capture settings</summary>
      {firstCamera && (
        <p className="intrinsics-in-use" data-testid="intrinsics-in-use">
          In use ({firstCamera.name}): fx {firstCamera.intrinsics.fx.toFixed(2)} fy {firstCamera.intrinsics.fy.toFixed(2)} cx {firstCamera.intrinsics.cx.toFixed(2)} cy{' '}
          {firstCamera.intrinsics.cy.toFixed(2)} ({firstCamera.intrinsics.width}×{firstCamera.intrinsics.height})
        </p>
      )}
      <label>
        Depth units per metre
        <select
          data-testid="depth-scale-preset"
          value={isPreset ? String(depthScale) : 'custom'}
          onChange={(e) => {
            const v = e.currentTarget.value;
            if (v !== 'custom') updateCaptureSettings({ depthScale: v === 'auto' ? 'auto' : Number(v) });
            else updateCaptureSettings({ depthScale: 1000.0001 });
          }}
        >
          {DEPTH_SCALE_PRESETS.map((p) => (
            <option key={String(p.value)} value={String(p.value)}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
        {!isPreset && (
          <input
            type="number"
            min={0.001}
            step="any"
            data-testid="depth-scale"
            value={depthScale}
            onChange={(e) => {
              const v = Number(e.currentTarget.value);
              if (Number.isFinite(v) && v > 0) updateCaptureSettings({ depthScale: v });
            }}
          />
        )}
      </label>
      <label>
        Camera preset when the capture has no intrinsics
        <select value={presetId} data-testid="intrinsics-preset" onChange={(e) => updateCaptureSettings({ intrinsicsPresetId: e.currentTarget.value })}>
          <option value="">None — drop an intrinsics file</option>
          {INTRINSICS_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Override fx fy cx cy (pixels of the depth image; single frames)
        <input
          type="text"
          data-testid="typed-intrinsics"
          placeholder="525 525 319.5 239.5"
          value={intrinsicsText}
          aria-invalid={typed === 'invalid'}
          onChange={(e) => {
            const text = e.currentTarget.value;
            setIntrinsicsText(text);
            const parsed = parseTypedIntrinsics(text);
            if (parsed !== 'invalid') updateCaptureSettings({ typedIntrinsics: parsed });
          }}
        />
      </label>
      <div className="row">
        <label>
          Voxel size (m, 0 = off)
          <input type="number" min={0} step={0.005} data-testid="voxel-size" value={voxelSize} onChange={(e) => updateCaptureSettings({ voxelSize: Math.max(0, Number(e.currentTarget.value) || 0) })} />
        </label>
        <label>
          Max frames
          <input type="number" min={1} step={1} value={maxFrames} onChange={(e) => updateCaptureSettings({ maxFrames: Math.max(1, Math.floor(Number(e.currentTarget.value) || 1)) })} />
        </label>
      </div>
      <div className="row">
        <label>
          Min depth (m)
          <input type="number" min={0} step={0.1} value={minDepth} onChange={(e) => updateCaptureSettings({ minDepth: Math.max(0, Number(e.currentTarget.value) || 0) })} />
        </label>
        <label>
          Max depth (m, empty = none)
          <input
            type="number"
            min={0}
            step={0.1}
            value={Number.isFinite(maxDepth) ? maxDepth : ''}
            onChange={(e) => {
              const v = e.currentTarget.value === '' ? Infinity : Number(e.currentTarget.value);
              updateCaptureSettings({ maxDepth: Number.isFinite(v) && v > 0 ? v : Infinity });
            }}
          />
        </label>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={removeOutliers} onChange={(e) => updateCaptureSettings({ removeOutliers: e.currentTarget.checked })} /> Remove statistical outliers (20 neighbours, 2σ)
      </label>
      <button type="button" data-testid="apply-settings" disabled={!reloadable} onClick={() => void reloadWithSettings()} title="Settings apply to the next drop; this re-lifts the current capture with them">
        Apply to current capture
      </button>
    </details>
  );
}
