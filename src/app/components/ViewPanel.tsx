import { COLORMAP_NAMES, colormapCssGradient } from '../../core/color/colormapTables.ts';
import { BELOW_THRESHOLD_DISPLAYS, type BelowThresholdDisplay } from '../../core/color/scalarDisplay.ts';
import { useFieldLens } from '../store/store.ts';
import { setViewSettings } from '../store/viewSlice.ts';
import { BACKGROUND_NAMES, POINT_BUDGETS, type PointSizeMode } from '../store/viewSettings.ts';
import { CropBoxControls } from './CropBoxControls.tsx';

const SIZE_LABELS: Record<PointSizeMode, string> = { pixels: 'pixels', world: 'metres' };
const BELOW_LABELS: Record<BelowThresholdDisplay, string> = { colormap: 'colour map', rgb: 'RGB', dim: 'dimmed RGB' };

/** A <select> over a fixed list of names; `labels` gives display text where it differs. */
function NameSelect<T extends string>(props: { testId: string; value: T; names: readonly T[]; labels?: Record<T, string>; onChange: (value: T) => void }) {
  const { testId, value, names, labels, onChange } = props;
  return (
    <select data-testid={testId} value={value} onChange={(e) => onChange(e.currentTarget.value as T)}>
      {names.map((name) => (
        <option key={name} value={name}>
          {labels?.[name] ?? name}
        </option>
      ))}
    </select>
  );
}

/** How the cloud looks: colour map, below-threshold display, points, background, EDL, voxels, crop. */
export function ViewPanel() {
  const v = useFieldLens((s) => s.viewSettings);
  return (
    <section className="view-panel" aria-label="view">
      <h2>View</h2>
      <label>
        Colour map
        <NameSelect testId="colormap" value={v.colormap} names={COLORMAP_NAMES} onChange={(colormap) => setViewSettings({ colormap })} />
        <span className="colormap-preview" data-testid="colormap-preview" style={{ background: colormapCssGradient(v.colormap) }} />
      </label>
      <label>
        Below threshold
        <NameSelect
          testId="below-threshold"
          value={v.belowThreshold}
          names={BELOW_THRESHOLD_DISPLAYS}
          labels={BELOW_LABELS}
          onChange={(belowThreshold) => setViewSettings({ belowThreshold })}
        />
      </label>
      <label>
        Point size{' '}
        <NameSelect
          testId="point-size-mode"
          value={v.pointSizeMode}
          names={['pixels', 'world'] as const}
          labels={SIZE_LABELS}
          onChange={(pointSizeMode) => setViewSettings({ pointSizeMode })}
        />
        {v.pointSizeMode === 'pixels' ? (
          <>
            <span className="value"> {v.pointSizePixels.toFixed(1)} px</span>
            <input
              type="range"
              data-testid="point-size"
              min={1}
              max={12}
              step={0.5}
              value={v.pointSizePixels}
              onChange={(e) => setViewSettings({ pointSizePixels: Number(e.currentTarget.value) })}
            />
          </>
        ) : (
          <>
            <span className="value"> {(v.pointSizeMetres * 1000).toFixed(1)} mm</span>
            <input
              type="range"
              data-testid="point-size-metres"
              min={0.5}
              max={30}
              step={0.5}
              value={v.pointSizeMetres * 1000}
              onChange={(e) => setViewSettings({ pointSizeMetres: Number(e.currentTarget.value) / 1000 })}
            />
          </>
        )}
      </label>
      <label className="checkbox">
        <input type="checkbox" data-testid="round-points" checked={v.roundPoints} onChange={(e) => setViewSettings({ roundPoints: e.currentTarget.checked })} />{' '}
        Round points
      </label>
      <label>
        Background
        <NameSelect testId="background" value={v.background} names={BACKGROUND_NAMES} onChange={(background) => setViewSettings({ background })} />
      </label>
      <label className="checkbox">
        <input type="checkbox" data-testid="edl" checked={v.eyeDomeLighting} onChange={(e) => setViewSettings({ eyeDomeLighting: e.currentTarget.checked })} />{' '}
        Eye-dome lighting (depth cue)
      </label>
      {v.eyeDomeLighting && (
        <label>
          EDL strength <span className="value">{v.edlStrength.toFixed(2)}</span>
          <input
            type="range"
            data-testid="edl-strength"
            min={0.1}
            max={2}
            step={0.05}
            value={v.edlStrength}
            onChange={(e) => setViewSettings({ edlStrength: Number(e.currentTarget.value) })}
          />
        </label>
      )}
      <label className="checkbox">
        <input type="checkbox" data-testid="voxel-mode" checked={v.voxelMode} onChange={(e) => setViewSettings({ voxelMode: e.currentTarget.checked })} />{' '}
        Voxels
      </label>
      {v.voxelMode && (
        <label>
          Voxel size <span className="value">{(v.displayVoxelSize * 100).toFixed(1)} cm</span>
          <input
            type="range"
            data-testid="display-voxel-size"
            min={0.5}
            max={10}
            step={0.5}
            value={v.displayVoxelSize * 100}
            onChange={(e) => setViewSettings({ displayVoxelSize: Number(e.currentTarget.value) / 100 })}
          />
        </label>
      )}
      <label title="While the camera moves, at most this many points are drawn (an even subsample of the cloud); all of them once it stops.">
        Point budget
        <select data-testid="point-budget" value={v.pointBudget} onChange={(e) => setViewSettings({ pointBudget: Number(e.currentTarget.value) })}>
          {POINT_BUDGETS.map((n) => (
            <option key={n} value={n}>
              {n >= 1e6 ? `${n / 1e6} M` : `${n / 1e3} k`} points
            </option>
          ))}
        </select>
      </label>
      <CropBoxControls />
    </section>
  );
}
