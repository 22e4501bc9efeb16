import { dismissError } from '../store/actions.ts';
import { useFieldLens } from '../store/store.ts';

/** Every user-facing error, readable and dismissible; the scene behind it stays usable. */
export function ErrorList() {
  const errors = useFieldLens((s) => s.errors);
  if (errors.length === 0) return null;
  return (
    <div className="errors" role="alert">
      {errors.map((e) => (
        <div key={e.id} className="error" data-testid="error">
          <span>{e.message}</span>
          <button type="button" aria-label="Dismiss error" onClick={() => dismissError(e.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
