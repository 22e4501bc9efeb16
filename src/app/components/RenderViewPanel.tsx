/**
 * *Render view* (DistillNeRF-style images from any camera) and the semantic occupancy export. The
 * render writes rgb / pca / relevancy / labels / instances PNGs and depth / relevancy / feature
 * .npy files, and shows the images in the rendered-view overlay.
 */
import { useShallow } from 'zustand/react/shallow';
import { exportOccupancy, renderView, showRenderedImage, updateRenderSettings } from '../store/renderViewSlice.ts';
import { useFieldLens } from '../store/store.ts';

export function RenderViewPanel() {
  const s = useFieldLens(useShallow((st) => st.renderView));
  const cameras = useFieldLens((st) => st.cameras);
  const hasScene = useFieldLens((st) => st.pointCount !== null);
  return (
    <section className="panel-section render-view-panel" aria-label="Render view" data-testid="render-panel">
      <h2>Render view</h2>
      <label>
        Camera{' '}
        <select
          data-testid="render-camera"
          value={s.camera === 'view' ? 'view' : String(s.camera)}
          onChange={(e) => updateRenderSettings({ camera: e.target.value === 'view' ? 'view' : Number(e.target.value) })}
        >
          <option value="view">the 3D view</option>
          {cameras.map((c, i) => (
            <option key={i} value={i}>
              input camera {i}: {c.name}
            </option>
          ))}
        </select>
      </label>
      {s.camera === 'view' && (
        <label>
          Width{' '}
          <input
            type="number"
            min={16}
            max={4096}
            step={16}
            value={s.viewWidth}
            data-testid="render-width"
            onChange={(e) => updateRenderSettings({ viewWidth: Number(e.target.value) })}
          />{' '}
          px
        </label>
      )}
      <label title="features.npy: [H, W, D] float32 of the selected feature set, and pca.png">
        <input type="checkbox" checked={s.withFeatures} onChange={(e) => updateRenderSettings({ withFeatures: e.target.checked })} /> feature image + PCA
      </label>
      <div className="export-buttons">
        <button type="button" data-testid="render-view" disabled={!hasScene || s.running} onClick={() => void renderView()}>
          {s.running ? 'Rendering…' : 'Render view'}
        </button>
        <button type="button" data-testid="render-show" disabled={s.last === null} onClick={() => showRenderedImage(s.shown === null ? 'rgb' : null)}>
          {s.shown === null ? 'Show rendered' : 'Hide rendered'}
        </button>
      </div>
      {s.last && (
        <p className="hint" data-testid="render-summary" data-files={s.last.files.join(' ')}>
          {s.last.camera}: {s.last.width}×{s.last.height}, {(s.last.coveredFraction * 100).toFixed(1)} % covered, {s.last.renderMs.toFixed(0)} ms;{' '}
          {s.last.files.length} files
        </p>
      )}
      <h3>Semantic occupancy</h3>
      <label>
        Voxel{' '}
        <input
          type="number"
          min={0.001}
          step={0.005}
          value={s.voxelMetres}
          data-testid="occupancy-voxel"
          onChange={(e) => updateRenderSettings({ voxelMetres: Number(e.target.value) })}
        />{' '}
        m
      </label>
      <button
        type="button"
        data-testid="occupancy-export"
        title="occupancy (bool), labels (int32, −1 empty/background) and relevancy (float32, NaN empty) as [nx, ny, nz] .npy + a JSON header"
        disabled={!hasScene || s.occupancyRunning}
        onClick={() => void exportOccupancy()}
      >
        Export occupancy
      </button>
      {s.lastOccupancy && (
        <p className="hint" data-testid="occupancy-summary">
          {s.lastOccupancy.shape.join(' × ')} voxels, {s.lastOccupancy.occupied} occupied, {s.lastOccupancy.ms.toFixed(0)} ms
        </p>
      )}
    </section>
  );
}
