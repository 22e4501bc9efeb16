import { useState, type DragEvent } from 'react';
import { Viewport } from '../render/Viewport.tsx';
import type { ViewportCallbacks } from '../render/viewportCallbacks.ts';
import { displayColorsFor, displayInputsOf } from '../render/displayColorCache.ts';
import { writeDisplayColors } from '../render/displayColors.ts';
import { drawBuffers } from './store/drawBuffers.ts';
import { RenderViewPanel } from './components/RenderViewPanel.tsx';
import { RenderedViewOverlay } from './components/RenderedViewOverlay.tsx';
import { ComparePanel } from './components/ComparePanel.tsx';
import { PrunePanel } from './components/PrunePanel.tsx';
import { registerModeColours } from './store/renderViewSlice.ts';
import { pickComparePoint } from './store/compareSlice.ts';
import { registerViewCamera } from './viewCameraProbe.ts';
import { ErrorList } from './components/ErrorList.tsx';
import { KeyboardShortcuts } from './components/KeyboardShortcuts.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { QueryBar, QueryPanel } from './components/QueryPanel.tsx';
import { LegendCard } from './components/LegendCard.tsx';
import { SplitCaptions } from './components/SplitCaptions.tsx';
import { AgreementPanel } from './components/AgreementPanel.tsx';
import { ScenePanel } from './components/ScenePanel.tsx';
import { ViewToolbar } from './components/ViewToolbar.tsx';
import { ImageOverlayPanel } from './components/ImageOverlayPanel.tsx';
import { ViewPanel } from './components/ViewPanel.tsx';
import { ExportPanel } from './components/ExportPanel.tsx';
import { EmbedOverlay } from './components/EmbedOverlay.tsx';
import { RemoteConsentDialog } from './components/RemoteConsentDialog.tsx';
import { lookThroughCamera, setLookingThrough } from './store/viewSlice.ts';
import { reportError } from './store/jobsSlice.ts';
import { showSimilarityTo } from './store/querySlice.ts';
import { useFieldLens } from './store/store.ts';
import { TeacherPanel } from './components/TeacherPanel.tsx';
import { SegmentPanel } from './components/SegmentPanel.tsx';
import { isolateSegmentAtPoint } from './store/segmentSlice.ts';
import { filesFromDataTransfer } from './readDrop.ts';
import { isEmbedded, loadFilesOrState } from './urlState.ts';
import { recordCameraPose } from './store/viewSlice.ts';
import { requestDisplayVoxels } from './store/voxelSlice.ts';
import { registerViewportCapture } from './viewportCapture.ts';
import { colorModeSpec } from './query/colorModes.ts';

/** The viewport's requests, answered by app actions (render calls none itself). */
const viewportCallbacks: ViewportCallbacks = {
  // The colour mode's table entry says whether a double-click isolates a segment or compares
  // features (with the compared scene's when one is open).
  onPickPoint: (pointIndex) =>
    colorModeSpec(useFieldLens.getState().colorMode).pointPick === 'isolate-segment'
      ? isolateSegmentAtPoint(pointIndex)
      : useFieldLens.getState().compare.name !== null
        ? void pickComparePoint('main', pointIndex)
        : void showSimilarityTo(pointIndex),
  onPickComparedPoint: (pointIndex) => void pickComparePoint('other', pointIndex),
  onViewCameraReady: registerViewCamera,
  onLookThrough: lookThroughCamera,
  onLookingThroughChange: setLookingThrough,
  onCameraRest: recordCameraPose,
  onCaptureReady: registerViewportCapture,
  onError: reportError,
  onVoxelsWanted: requestDisplayVoxels,
};

// Render view's colour images use the 3D view's own colours of each mode.
registerModeColours((mode, results = {}) => {
  const cloud = drawBuffers.cloud;
  const out = cloud ? new Uint8Array(cloud.count * 3) : null;
  return cloud && out && writeDisplayColors(cloud, { ...drawBuffers, ...results }, displayInputsOf({ ...useFieldLens.getState(), colorMode: mode }), out)
    ? out
    : null;
});

/**
 * The studio: side panel + stage; the whole window is the drop zone. The stage keeps the main loop
 * in view: the query bar docked on top, the 3D view with its legend card, the status bar below.
 */
export function App() {
  const [dragging, setDragging] = useState(false);
  const panelsVisible = useFieldLens((s) => s.panelsVisible);
  const [embedded] = useState(() => isEmbedded());
  const cameraRequest = useFieldLens((s) => s.cameraRequest);
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    filesFromDataTransfer(e.dataTransfer).then(loadFilesOrState).catch(reportError);
  };
  return (
    <div
      className={`studio${dragging ? ' dragging' : ''}${panelsVisible ? '' : ' panels-hidden'}`}
      data-testid="drop-zone"
      // The last camera request (kind:version), for scripts and tests; the viewport acts on it.
      data-last-camera-request={cameraRequest ? `${cameraRequest.kind}:${cameraRequest.version}` : ''}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <aside className="panel" hidden={!panelsVisible}>
        <h1>FieldLens</h1>
        <ScenePanel />
        <QueryPanel />
        <SegmentPanel />
        <ViewPanel />
        <ExportPanel />
        <RenderViewPanel />
        <ComparePanel />
        <PrunePanel />
        <TeacherPanel />
        <AgreementPanel featureSets={['student', 'file']} />
      </aside>
      <main className="stage">
        {panelsVisible && !embedded && <QueryBar />}
        <div className="stage-view">
          <Viewport callbacks={viewportCallbacks} />
          <SplitCaptions />
          <LegendCard />
          {!embedded && <ViewToolbar />}
          <ImageOverlayPanel displayColorsFor={displayColorsFor} />
          <RenderedViewOverlay />
          <RemoteConsentDialog />
          <ErrorList />
          {embedded && <EmbedOverlay />}
        </div>
        <StatusBar />
      </main>
      <KeyboardShortcuts />
    </div>
  );
}
