import { useState } from 'react';
import {
  captureSettingLabel,
  DEPTH_SCALE_CONVENTIONS,
  parseTypedIntrinsics as parseIntrinsicsText,
  type TypedIntrinsics,
} from '../../core/capture/captureSettings.ts';
import { INTRINSICS_PRESETS } from '../../core/capture/intrinsicsPresets.ts';
import { asDepthScale, asMetres } from '../../core/units.ts';
import { reloadWithSettings } from '../store/sceneSlice.ts';
import { updateCaptureSettings } from '../store/captureSettingsSlice.ts';
import { useFieldLens } from '../store/store.ts';

const DEPTH_SCALE_PRESETS: readonly { value: number | 'auto'; label: string }[] = [
  { value: 'auto', label: 'Auto — by format (TUM 5000, else 1000)' },
  ...DEPTH_SCALE_CONVENTIONS.map((c) => ({ value: c.scale, label: `${c.scale} — ${c.name}` })),
];

/** "fx fy cx cy" (commas or spaces); null when empty; throws nothing — invalid text is shown as such. */
function parseTypedIntrinsics(text: string): TypedIntrinsics | null | 'invalid' {
  if (text.trim() === '') return null;
  return parseIntrinsicsText(text) ?? 'invalid';
}

/** How the NEXT drop is interpreted: depth scale, intrinsics fallback, filters. */
export function CaptureSettings() {
  const { depthScale, intrinsicsPresetId: presetId, voxelSize, minDepth, maxDepth, removeOutliers, maxFrames } = useFieldLens((s) => s.captureSettings);
  const depthScaleWarning = useFieldLens((s) => s.depthScaleWarning);
  const [intrinsicsText, setIntrinsicsText] = useState('');
  const firstCamera = useFieldLens((s) => s.cameras[0]);
  const reloadable = useFieldLens((s) => s.sceneFromDrop && s.busy === null);
  const hasScene = useFieldLens((s) => s.sceneVersion > 0);
  const typed = parseTypedIntrinsics(intrinsicsText);
  const isPreset = DEPTH_SCALE_PRESETS.some((p) => p.value === depthScale);

  return (
    // Open until a scene is loaded (then the scene, not how to read the next drop, has the room),
    // and whenever the loaded frame's depth units look wrong: the warning sits by the setting.
    <details className="capture-settings" data-testid="capture-settings" open={!hasScene || depthScaleWarning !== null}>
      <summary>Capture settings</summary>
      {firstCamera && (
        <p className="intrinsics-in-use" data-testid="intrinsics-in-use">
          In use ({firstCamera.name}): fx {firstCamera.intrinsics.fx.toFixed(2)} fy {firstCamera.intrinsics.fy.toFixed(2)} cx{' '}
          {firstCamera.intrinsics.cx.toFixed(2)} cy {firstCamera.intrinsics.cy.toFixed(2)} ({firstCamera.intrinsics.width}×{firstCamera.intrinsics.height})
        </p>
      )}
      <label>
        {captureSettingLabel('depthScale')}
        <select
          data-testid="depth-scale-preset"
          value={isPreset ? String(depthScale) : 'custom'}
          onChange={(e) => {
            const v = e.currentTarget.value;
            if (v !== 'custom') updateCaptureSettings({ depthScale: v === 'auto' ? 'auto' : asDepthScale(Number(v)) });
            else updateCaptureSettings({ depthScale: asDepthScale(1000.0001) });
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
              if (Number.isFinite(v) && v > 0) updateCaptureSettings({ depthScale: asDepthScale(v) });
            }}
          />
        )}
      </label>
      {depthScaleWarning && (
        <p className="warnings depth-scale-warning" role="status" data-testid="depth-scale-warning">
          {depthScaleWarning.message}
          {depthScaleWarning.suggestedScale !== null && (
            <button
              type="button"
              data-testid="depth-scale-suggestion"
              onClick={() => updateCaptureSettings({ depthScale: asDepthScale(depthScaleWarning.suggestedScale!) })}
            >
              Use {depthScaleWarning.suggestedScale}
            </button>
          )}
        </p>
      )}
      <label>
        {captureSettingLabel('intrinsicsPresetId')}
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
        {captureSettingLabel('intrinsics')}
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
            if (parsed !== 'invalid') updateCaptureSettings({ intrinsics: parsed });
          }}
        />
      </label>
      <div className="row">
        <label>
          {captureSettingLabel('voxelSize')}
          <input
            type="number"
            min={0}
            step={0.005}
            data-testid="voxel-size"
            value={voxelSize}
            onChange={(e) => updateCaptureSettings({ voxelSize: asMetres(Math.max(0, Number(e.currentTarget.value) || 0)) })}
          />
        </label>
        <label>
          {captureSettingLabel('maxFrames')}
          <input
            type="number"
            min={1}
            step={1}
            value={maxFrames}
            onChange={(e) => updateCaptureSettings({ maxFrames: Math.max(1, Math.floor(Number(e.currentTarget.value) || 1)) })}
          />
        </label>
      </div>
      <div className="row">
        <label>
          {captureSettingLabel('minDepth')}
          <input
            type="number"
            min={0}
            step={0.1}
            value={minDepth}
            onChange={(e) => updateCaptureSettings({ minDepth: asMetres(Math.max(0, Number(e.currentTarget.value) || 0)) })}
          />
        </label>
        <label>
          {captureSettingLabel('maxDepth')}
          <input
            type="number"
            min={0}
            step={0.1}
            value={Number.isFinite(maxDepth) ? maxDepth : ''}
            onChange={(e) => {
              const v = e.currentTarget.value === '' ? Infinity : Number(e.currentTarget.value);
              updateCaptureSettings({ maxDepth: asMetres(Number.isFinite(v) && v > 0 ? v : Infinity) });
            }}
          />
        </label>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={removeOutliers} onChange={(e) => updateCaptureSettings({ removeOutliers: e.currentTarget.checked })} />{' '}
        {captureSettingLabel('removeOutliers')}
      </label>
      <button
        type="button"
        data-testid="apply-settings"
        disabled={!reloadable}
        onClick={() => void reloadWithSettings()}
        title="Settings apply to the next drop; this re-lifts the current capture with them"
      >
        Apply to current capture
      </button>
    </details>
  );
}
