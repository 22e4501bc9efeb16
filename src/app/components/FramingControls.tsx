import { useFieldLens } from '../store/store.ts';
import { rescaleScene } from '../store/sceneSlice.ts';
import { setUpChoice } from '../store/viewSlice.ts';
import { implausibleExtent, isUpAxis, UP_AXES, upAxisLabel } from '../../core/views/framing.ts';

const metres = (v: number) => (v >= 10 ? v.toFixed(0) : v >= 0.1 ? v.toFixed(2) : v.toPrecision(2));

/**
 * The scene's size and which way is up: the up axis picker (auto = detected, remembered per scene)
 * and, when the size is implausible for metres, a warning with unit scales that fix it.
 */
export function FramingControls() {
  const robust = useFieldLens((s) => s.robustBounds);
  const viewpoint = useFieldLens((s) => s.viewpoint);
  const upChoice = useFieldLens((s) => s.upChoice);
  const busy = useFieldLens((s) => s.busy);
  if (!robust || !viewpoint) return null;
  const extent = [0, 1, 2].map((a) => robust.max[a]! - robust.min[a]!);
  const problem = implausibleExtent(robust);
  return (
    <div className="framing">
      <p className="hint" data-testid="scene-extent">
        Size (1st–99th percentile): {extent.map(metres).join(' × ')} m
      </p>
      {problem && (
        <div className="warnings unit-warning" data-testid="unit-warning" role="alert">
          {problem.message}{' '}
          {problem.scales.map((scale) => (
            <button
              key={scale.label}
              type="button"
              disabled={busy !== null}
              data-testid={`unit-scale-${scale.factor}`}
              onClick={() => void rescaleScene(scale.factor)}
            >
              {scale.label}
            </button>
          ))}
        </div>
      )}
      <label>
        Up axis
        <select
          data-testid="up-axis"
          value={upChoice}
          onChange={(e) => {
            const value = e.currentTarget.value;
            setUpChoice(value === 'auto' || isUpAxis(value) ? value : 'auto');
          }}
        >
          <option value="auto">auto ({viewpoint.upReason})</option>
          {UP_AXES.map((axis) => (
            <option key={axis} value={axis}>
              {upAxisLabel(axis)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
