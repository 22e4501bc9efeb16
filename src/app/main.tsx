import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { reportError } from './store/jobsSlice.ts';
import { startStudio } from './store/actions.ts';
import { initStore } from './store/init.ts';
import { installScriptingApi } from './scriptingApi.ts';
import { applyCameraFromUrl, applyEmbedMode, applyUpFromUrl, applyUrlState, syncUrlWithState, syncViewpointUrl } from './urlState.ts';
import './studio.css';

initStore();
const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');
createRoot(rootElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
const scriptingApi = installScriptingApi();
// Benchmark/test hooks only outside production builds (dev server, `vite build --mode bench`): the
// condition is a build-time constant, so production bundles drop the hooks module entirely.
if (import.meta.env.MODE !== 'production') void import('../devHooks/testHooks.ts').then((m) => m.installTestHooks(scriptingApi));
// Embed mode before the first paint; the URL's query once the scene is in; then the URL follows the view.
applyEmbedMode(window.location);
applyUpFromUrl(window.location);
startStudio(window.location)
  .then(() => {
    applyCameraFromUrl(window.location);
    return applyUrlState(window.location);
  })
  .catch(reportError)
  .finally(() => {
    syncUrlWithState();
    syncViewpointUrl();
  });
