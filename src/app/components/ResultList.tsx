import { CATEGORY_COLORS } from '../../core/color/categoryColors.ts';
import type { Instance } from '../../core/query/clustering.ts';
import { requestCamera } from '../store/viewSlice.ts';
import { useFieldLens } from '../store/store.ts';

const swatch = (i: number) => {
  const c = CATEGORY_COLORS[i % CATEGORY_COLORS.length]!;
  return { background: `rgb(${c[0]},${c[1]},${c[2]})` };
};
const fmt = (v: readonly number[]) => v.map((x) => x.toFixed(2)).join(', ');
/** Box edge lengths, in centimetres (objects on a table are a few to tens of cm). */
const size = (inst: Instance) => inst.max.map((hi, a) => ((hi - inst.min[a]!) * 100).toFixed(0)).join(' × ');

function focusOn(inst: Instance): void {
  requestCamera({ kind: 'focus', bounds: { min: [...inst.min], max: [...inst.max], centroid: [...inst.centroid] } });
}

/** The instances found above the threshold (the label legend is on the legend card over the 3D view). */
export function ResultList() {
  const instances = useFieldLens((s) => s.instances);
  return (
    <>
      {instances.length > 0 && (
        <div className="instances">
          <h3>
            Instances (<span data-testid="instance-count">{instances.length}</span>) — click one to focus it
          </h3>
          <ol data-testid="instance-list">
            {instances.map((inst) => (
              <li key={inst.id}>
                <button
                  type="button"
                  className="instance"
                  data-testid="instance"
                  title={`min [${fmt(inst.min)}] max [${fmt(inst.max)}] m — focus the camera on it`}
                  onClick={() => focusOn(inst)}
                >
                  <span className="swatch" style={swatch(inst.id)} /> {inst.count.toLocaleString('en')} points at [{fmt(inst.centroid)}] m, {size(inst)} cm
                </button>
              </li>
            ))}
          </ol>
        </div>
      )}
    </>
  );
}
