import { useFieldLens } from '../store/store.ts';
import { setCropBox } from '../store/viewSlice.ts';
import type { CropBox } from '../store/viewSettings.ts';

const AXES = ['x', 'y', 'z'] as const;
/** Slider steps per axis: fine enough for centimetres on a room-sized scene. */
const STEPS = 200;

/**
 * Crop box: when enabled, points outside an axis-aligned box (world frame, metres) are not drawn.
 * Enabling starts from the scene bounds; each axis has a min and a max slider over those bounds.
 */
export function CropBoxControls() {
  const bounds = useFieldLens((s) => s.bounds);
  const box = useFieldLens((s) => s.viewSettings.cropBox);
  if (!bounds) return null;

  const update = (axis: number, end: 'min' | 'max', value: number) => {
    if (!box) return;
    const next: { min: [number, number, number]; max: [number, number, number] } = { min: [...box.min], max: [...box.max] };
    next[end][axis] = value;
    // Keep min ≤ max: moving one end past the other drags the other along.
    if (next.min[axis]! > next.max[axis]!) {
      if (end === 'min') next.max[axis] = value;
      else next.min[axis] = value;
    }
    setCropBox(next satisfies CropBox);
  };

  return (
    <div className="crop-box" data-testid="crop-box">
      <label className="checkbox">
        <input
          type="checkbox"
          data-testid="crop-enabled"
          checked={box !== null}
          onChange={(e) => setCropBox(e.currentTarget.checked ? { min: [...bounds.min], max: [...bounds.max] } : null)}
        />{' '}
        Crop box
      </label>
      {box &&
        AXES.map((axis, a) => {
          const lo = bounds.min[a]!;
          const hi = bounds.max[a]!;
          const step = hi > lo ? (hi - lo) / STEPS : 0.001;
          return (
            <div className="crop-axis" key={axis}>
              <span>
                {axis} {box.min[a]!.toFixed(2)} … {box.max[a]!.toFixed(2)} m
              </span>
              {(['min', 'max'] as const).map((end) => (
                <input
                  key={end}
                  type="range"
                  aria-label={`crop ${axis} ${end} (m)`}
                  data-testid={`crop-${axis}-${end}`}
                  min={lo}
                  max={hi}
                  step={step}
                  value={box[end][a]}
                  onChange={(e) => update(a, end, Number(e.currentTarget.value))}
                />
              ))}
            </div>
          );
        })}
    </div>
  );
}
