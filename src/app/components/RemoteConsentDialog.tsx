import { answerRemoteConsent, useRemoteConsent } from '../store/remoteConsent.ts';

/** Asks before a link's `?scene=` / `?models=` fetches from another host; names each host and URL (as text). */
export function RemoteConsentDialog() {
  const pending = useRemoteConsent((s) => s.pending);
  if (pending.length === 0) return null;
  return (
    <div className="remote-consent" data-testid="remote-consent" role="alertdialog" aria-label="Load from another site?">
      <p>This link asks FieldLens to load from another site:</p>
      <ul>
        {pending.map((load) => (
          <li key={load.url} data-testid="remote-consent-item">
            the {load.what} from <strong data-testid="remote-consent-host">{load.host}</strong> <code>{load.url}</code>
          </li>
        ))}
      </ul>
      <p>Nothing has been fetched yet. Your dropped files stay in this browser either way.</p>
      <button type="button" data-testid="remote-consent-accept" onClick={() => answerRemoteConsent(true)}>
        Load
      </button>
      <button type="button" data-testid="remote-consent-decline" onClick={() => answerRemoteConsent(false)}>
        Don’t load (use the defaults)
      </button>
    </div>
  );
}
