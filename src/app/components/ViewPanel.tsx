import { COLORMAP_NAMES, colormapCssGradient, type ColormapName } from '../../core/color/colormapTables.ts';
import type { BelowThresholdDisplay } from '../../core/color/scalarDisplay.ts';
import { useFieldLens } from '../store/store.ts';
import { setViewSettings } from '../store/viewActions.ts';
import { BACKGROUND_NAMES, type BackgroundName } from '../store/viewSettings.ts';
import { CropBoxControls } from './CropBoxControls.tsx';

const BELOW_LABELS: Record<BelowThresholdDisplay, string> = { colormap: 'colour map', rgb: 'RGB', dim: 'dimmed RGB' };

/** How the cloud looks: colour map, below-threshold display, points, background, EDL, voxels, crop. */
export function ViewPanel() {
  const v = useFieldLens((s) => s.viewSettings);
  return (
    <section className="view-panel" aria-label="view">
      <h2>View</h2>
      <label>
        Colour map
        <select data-testid="colormap" value={v.colormap} onChange={(e) => setViewSettings({ colormap: e.currentTarget.value as ColormapName })}>
          {COLORMAP_NAMES.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <span className="colormap-preview" data-testid="colormap-preview" style={{ background: colormapCssGradient(v.colormap) }} />
      </label>
      <label>
        Below threshold
        <select data-testid="below-threshold" value={v.belowThreshold} onChange={(e) => setViewSettings({ belowThreshold: e.currentTarget.value as BelowThresholdDisplay })}>
          {(Object.keys(BELOW_LABELS) as BelowThresholdDisplay[]).map((k) => (
            <option key={k} value={k}>
              {BELOW_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Point size{' '}
        <select data-testid="point-size-mode" value={v.pointSizeMode} onChange={(e) => setViewSettings({ pointSizeMode: e.currentTarget.value === 'world' ? 'world' : 'pixels' })}>
          <option value="pixels">pixels</option>
          <option value="world">metres</option>
        </select>
        {v.pointSizeMode === 'pixels' ? (
          <>
            <span className="value"> {v.pointSizePixels.toFixed(1)} px</span>
            <input type="range" data-testid="point-size" min={1} max={12} step={0.5} value={v.pointSizePixels} onChange={(e) => setViewSettings({ pointSizePixels: Number(e.currentTarget.value) })} />
          </>
        ) : (
          <>
            <span className="value"> {(v.pointSizeMetres * 1000).toFixed(1)} mm</span>
            <input type="range" data-testid="point-size-metres" min={0.5} max={30} step={0.5} value={v.pointSizeMetres * 1000} onChange={(e) => setViewSettings({ pointSizeMetres: Number(e.currentTarget.value) / 1000 })} />
          </>
        )}
      </label>
      <label className="checkbox">
        <input type="checkbox" data-testid="round-points" checked={v.roundPoints} onChange={(e) => setViewSettings({ roundPoints: e.currentTarget.checked })} /> Round points
      </label>
      <label>
        Background
        <select data-testid="background" value={v.background} onChange={(e) => setViewSettings({ background: e.currentTarget.value as BackgroundName })}>
          {BACKGROUND_NAMES.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label className="checkbox">
        <input type="checkbox" data-testid="edl" checked={v.eyeDomeLighting} onChange={(e) => setViewSettings({ eyeDomeLighting: e.currentTarget.checked })} /> Eye-dome lighting (depth cue)
      </label>
      {v.eyeDomeLighting && (
        <label>
          EDL strength <span className="value">{v.edlStrength.toFixed(2)}</span>
          <input type="range" data-testid="edl-strength" min={0.1} max={2} step={0.05} value={v.edlStrength} onChange={(e) => setViewSettings({ edlStrength: Number(e.currentTarget.value) })} />
        </label>
      )}
      <label className="checkbox">
        <input type="checkbox" data-testid="voxel-mode" checked={v.voxelMode} onChange={(e) => setViewSettings({ voxelMode: e.currentTarget.checked })} /> Voxels
      </label>
      {v.voxelMode && (
        <label>
          Voxel size <span className="value">{(v.displayVoxelSize * 100).toFixed(1)} cm</span>
          <input type="range" data-testid="display-voxel-size" min={0.5} max={10} step={0.5} value={v.displayVoxelSize * 100} onChange={(e) => setViewSettings({ displayVoxelSize: Number(e.currentTarget.value) / 100 })} />
        </label>
      )}
      <CropBoxControls />
    </section>
  );
}
