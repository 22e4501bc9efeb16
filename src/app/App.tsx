import { useState, type DragEvent } from 'react';
import { Viewport } from '../render/Viewport.tsx';
import { ErrorList } from './components/ErrorList.tsx';
import { QueryPanel } from './components/QueryPanel.tsx';
import { AgreementPanel } from './components/AgreementPanel.tsx';
import { ScenePanel } from './components/ScenePanel.tsx';
import { ViewToolbar } from './components/ViewToolbar.tsx';
import { ImageOverlayPanel } from './components/ImageOverlayPanel.tsx';
import { ViewPanel } from './components/ViewPanel.tsx';
import { TeacherPanel } from './components/TeacherPanel.tsx';
import { loadFiles, reportError } from './store/actions.ts';
import { filesFromDataTransfer } from './readDrop.ts';

/** The studio: side panel + 3D viewport; the whole window is the drop zone. */
export function App() {
  const [dragging, setDragging] = useState(false);
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    filesFromDataTransfer(e.dataTransfer).then(loadFiles, reportError);
  };
  return (
    <div
      className={`studio${dragging ? ' dragging' : ''}`}
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <aside className="panel">
        <h1>FieldLens</h1>
        <ScenePanel />
        <QueryPanel />
        <ViewPanel />
        <TeacherPanel />
        <AgreementPanel featureSets={['student', 'file']} />
      </aside>
      <main className="stage">
        <Viewport />
        <ViewToolbar />
        <ImageOverlayPanel />
        <ErrorList />
      </main>
    </div>
  );
}
