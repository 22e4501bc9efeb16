import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { reportError, startStudio } from './store/actions.ts';
import { installScriptingApi } from './scriptingApi.ts';
import './studio.css';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');
createRoot(rootElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
installScriptingApi();
startStudio(window.location).catch(reportError);
