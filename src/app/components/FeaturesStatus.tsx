import { useShallow } from 'zustand/react/shallow';
import { featuresFromLabel } from '../query/featuresLabel.ts';
import { useFieldLens } from '../store/store.ts';

/**
 * Beside the model-set picker: whether the current scene's features are ready
 * (`data-testid="features-state"`, `data-features-ready`, `data-runtime-ready` and, for the
 * first-query benchmark, `data-ready-at` / `data-runtime-ready-at` in page milliseconds) and where
 * they come from (`data-testid="features-from"`), with the teacher's per-object progress while it
 * computes them.
 */
export function FeaturesStatus() {
  const f = useFieldLens((s) => s.features);
  const choice = useFieldLens(useShallow(({ teacher: t }) => ({ activeSet: t.activeSet, featureSets: t.featureSets, summary: t.summary })));
  const objects = useFieldLens((s) => s.teacher.objectProgress);
  const views = useFieldLens((s) => s.teacher.viewProgress);
  const from = featuresFromLabel(choice);
  let text: string;
  if (f.phase === 'ready') text = 'features ready';
  else if (f.phase === 'teacher') {
    const progress = objects ? `objects ${objects.done}/${objects.total}` : views ? `views ${views.done}/${views.total}` : 'starting';
    text = `computing features with the teacher: ${progress}`;
  } else if (f.phase === 'preparing') text = f.runtimeReady ? 'computing features…' : 'starting the models…';
  else text = f.note ?? '';
  return (
    <div className="features-status hint">
      <span
        data-testid="features-state"
        data-phase={f.phase}
        data-features-ready={f.phase === 'ready' ? 'true' : 'false'}
        data-runtime-ready={f.runtimeReady ? 'true' : 'false'}
        data-ready-at={f.readyAtMs?.toFixed(1) ?? ''}
        data-runtime-ready-at={f.runtimeReadyAtMs?.toFixed(1) ?? ''}
      >
        {text}
      </span>
      {from && f.phase !== 'teacher' && (
        <>
          {' · '}
          <span data-testid="features-from">{from}</span>
        </>
      )}
    </div>
  );
}
