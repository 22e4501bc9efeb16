/**
 * Camera controls over the 3D viewport: fit, reset, orbit/fly, look through an input camera,
 * frusta on/off and the 2D overlay panel. Every button only writes a store request; the camera rig
 * (src/render/CameraRig.tsx) does the moving.
 */
import { useFieldLens } from '../store/store.ts';
import { lookThroughCamera, requestCamera, setNavigation, setOverlayView } from '../store/viewSlice.ts';

export function ViewToolbar() {
  const cameras = useFieldLens((s) => s.cameras);
  const navigation = useFieldLens((s) => s.navigation);
  const lookingThrough = useFieldLens((s) => s.lookingThrough);
  const overlayView = useFieldLens((s) => s.overlayView);
  const showCameras = useFieldLens((s) => s.showCameras);
  const hasScene = useFieldLens((s) => s.sceneVersion > 0);
  return (
    <div className="view-toolbar" role="toolbar" aria-label="camera">
      <button
        type="button"
        data-testid="view-fit"
        disabled={!hasScene}
        onClick={() => requestCamera({ kind: 'fit' })}
        title="Fit the whole scene in view: every point and the input cameras, from the current direction"
      >
        Fit
      </button>
      <button
        type="button"
        data-testid="view-reset"
        disabled={!hasScene}
        onClick={() => requestCamera({ kind: 'reset' })}
        title="Back to the framed initial view"
      >
        Reset
      </button>
      <button
        type="button"
        data-testid="navigation-mode"
        aria-pressed={navigation === 'fly'}
        onClick={() => setNavigation(navigation === 'orbit' ? 'fly' : 'orbit')}
        title={
          navigation === 'orbit'
            ? 'Orbit: drag to rotate, right-drag to pan, wheel to zoom (click for fly)'
            : 'Fly: W A S D to move, Q / E down / up, drag to look (click for orbit)'
        }
      >
        {navigation === 'orbit' ? 'Orbit' : 'Fly'}
      </button>
      {cameras.length > 0 && (
        <>
          <select
            data-testid="look-through"
            aria-label="look through an input camera"
            value={lookingThrough ?? ''}
            onChange={(e) => {
              if (e.target.value !== '') lookThroughCamera(Number(e.target.value));
            }}
          >
            <option value="">Look through…</option>
            {cameras.map((c, i) => (
              <option key={i} value={i}>
                {i}: {c.name}
              </option>
            ))}
          </select>
          <label>
            <input
              type="checkbox"
              data-testid="toggle-frusta"
              checked={showCameras}
              onChange={(e) => useFieldLens.setState({ showCameras: e.target.checked })}
            />
            Frusta
          </label>
          <label>
            <input
              type="checkbox"
              data-testid="toggle-overlay"
              checked={overlayView !== null}
              onChange={(e) => setOverlayView(e.target.checked ? (lookingThrough ?? 0) : null)}
            />
            2D overlay
          </label>
        </>
      )}
    </div>
  );
}
