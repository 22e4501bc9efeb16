import { dismissAllErrors, dismissError } from '../store/jobsSlice.ts';
import { useFieldLens } from '../store/store.ts';

/** Every user-facing error, readable and dismissible (one by one or all); the scene behind stays usable. */
export function ErrorList() {
  const errors = useFieldLens((s) => s.errors);
  if (errors.length === 0) return null;
  return (
    <div className="errors" role="alert">
      {errors.map((e) => (
        <div key={e.id} className="error" data-testid="error" data-error-id={e.id}>
          <span className="error-message">{e.message}</span>
          <button type="button" data-testid="dismiss-error" aria-label="Dismiss error" title="Dismiss" onClick={() => dismissError(e.id)}>
            ×
          </button>
        </div>
      ))}
      {errors.length > 1 && (
        <button type="button" className="dismiss-all" data-testid="dismiss-all-errors" onClick={dismissAllErrors}>
          Dismiss all ({errors.length})
        </button>
      )}
    </div>
  );
}
