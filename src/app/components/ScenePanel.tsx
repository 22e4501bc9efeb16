import { useEffect, useRef, useState } from 'react';
import { acceptedFileTypes, loadFiles } from '../store/sceneSlice.ts';
import { cancelTask } from '../store/jobsSlice.ts';
import { useFieldLens } from '../store/store.ts';
import { filesFromInput } from '../readDrop.ts';
import { CaptureSettings } from './CaptureSettings.tsx';
import { FramingControls } from './FramingControls.tsx';

const fmt = (n: number) => n.toLocaleString('en');

/** What is loaded (what was detected, counts before/after filters, timing) and how drops are read. */
export function ScenePanel() {
  const pointCount = useFieldLens((s) => s.pointCount);
  const liftMs = useFieldLens((s) => s.liftMs);
  const description = useFieldLens((s) => s.sceneDescription);
  const warnings = useFieldLens((s) => s.sceneWarnings);
  const counts = useFieldLens((s) => s.sceneCounts);
  const cameraCount = useFieldLens((s) => s.cameras.length);
  const busy = useFieldLens((s) => s.busy);
  const progress = useFieldLens((s) => s.ingestProgress);
  const filePicker = useRef<HTMLInputElement>(null);
  const folderPicker = useRef<HTMLInputElement>(null);
  // Every registered capture format's extensions; the registry lives in the worker.
  const [accept, setAccept] = useState<string | undefined>(undefined);
  useEffect(() => {
    void acceptedFileTypes().then(setAccept, () => setAccept(undefined));
  }, []);
  const filtered = counts && counts.afterOutliers !== counts.lifted;

  return (
    <section className="panel-section" aria-label="Scene">
      <h2>Scene</h2>
      <p className="scene-description" data-testid="scene-description">
        {busy ?? description}
      </p>
      {busy && (
        <button type="button" data-testid="cancel-ingest" onClick={() => cancelTask('ingest')}>
          Cancel
        </button>
      )}
      {progress && (
        <label className="progress">
          {progress.stage}
          <progress data-testid="ingest-progress" max={progress.total} value={progress.done} />
        </label>
      )}
      {warnings.length > 0 && (
        <ul className="warnings" data-testid="scene-warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <dl className="stats">
        <dt>Points</dt>
        <dd data-testid="point-count">{pointCount ?? ''}</dd>
        {filtered && (
          <>
            <dt>Filtered</dt>
            <dd data-testid="filter-counts">
              {fmt(counts.lifted)} lifted → {fmt(counts.afterRange)} in range → {fmt(counts.afterVoxel)} voxels → {fmt(counts.afterOutliers)} kept
            </dd>
          </>
        )}
        <dt>Cameras</dt>
        <dd data-testid="camera-count">{cameraCount}</dd>
        <dt>Lift time</dt>
        <dd data-testid="lift-time">{liftMs === null ? '' : `${liftMs.toFixed(0)} ms`}</dd>
      </dl>
      <FramingControls />
      <div className="buttons">
        <button type="button" onClick={() => filePicker.current?.click()}>
          Open files…
        </button>
        <button type="button" onClick={() => folderPicker.current?.click()}>
          Open folder…
        </button>
      </div>
      <input
        ref={filePicker}
        type="file"
        multiple
        hidden
        accept={accept}
        onChange={(e) => {
          void loadFiles(filesFromInput(e.currentTarget.files));
          e.currentTarget.value = '';
        }}
      />
      <input
        ref={folderPicker}
        type="file"
        hidden
        // Non-standard but universally supported attribute for picking a whole folder.
        {...{ webkitdirectory: '' }}
        onChange={(e) => {
          void loadFiles(filesFromInput(e.currentTarget.files));
          e.currentTarget.value = '';
        }}
      />
      <p className="hint">
        Drop files, a folder or a .zip anywhere: colour + depth (+ intrinsics), multi-camera .npy folders, ScanNet / TUM / Redwood / nerfstudio sequences, PLY /
        PCD / .npy point clouds.
      </p>
      <CaptureSettings />
    </section>
  );
}
