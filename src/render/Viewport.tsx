/**
 * The 3D viewport: an on-demand R3F canvas (no redraw when nothing changed); the camera and its
 * controls live in CameraRig. `data-ready="true"` is set once a frame showing the current scene +
 * query + colour mode has actually been rendered — the signal end-to-end tests and scripts wait for.
 */
import { addAfterEffect, Canvas } from '@react-three/fiber';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useFieldLens } from '../app/store/store.ts';
import { PointCloudPoints } from './PointCloudPoints.tsx';
import { CameraFrusta } from './CameraFrusta.tsx';
import { CameraRig, DEFAULT_FOV_DEG } from './CameraRig.tsx';
import { frameKey } from '../app/store/viewSettings.ts';
import { EyeDomeLighting, ViewBackground } from './ViewEffects.tsx';
import { VoxelCloud } from './VoxelCloud.tsx';
import { FrameProbe } from './FrameProbe.tsx';

export function Viewport() {
  const sceneVersion = useFieldLens((s) => s.sceneVersion);
  // Everything drawn: scene, result, colour mode, layer and the view settings (viewSettings.ts).
  const wantedKey = useFieldLens(frameKey);
  const voxelMode = useFieldLens((s) => s.viewSettings.voxelMode);
  const eyeDomeLighting = useFieldLens((s) => s.viewSettings.eyeDomeLighting);
  const [drawnKey, setDrawnKey] = useState('');
  const uploadedKey = useRef('');

  const onUploaded = useCallback((key: string) => {
    uploadedKey.current = key;
  }, []);

  // After each rendered frame: if it showed newly uploaded buffers, record that (once per version).
  useEffect(
    () =>
      addAfterEffect(() => {
        const key = uploadedKey.current;
        if (key !== '') setDrawnKey((prev) => (prev === key ? prev : key));
      }),
    [],
  );

  return (
    <div className="viewport" data-testid="viewport" data-ready={sceneVersion > 0 && drawnKey === wantedKey ? 'true' : 'false'}>
      <Canvas
        frameloop="demand"
        // No tone mapping: the point and voxel materials write their colours unaltered, so pixels
        // can be compared with the input images; the background hex colour is converted to the
        // linear working space and back to sRGB on output, i.e. it also arrives as given.
        flat
        dpr={[1, 2]}
        gl={{ preserveDrawingBuffer: true, antialias: false }}
        camera={{ fov: DEFAULT_FOV_DEG, near: 0.01, far: 100 }}
      >
        <ViewBackground />
        <PointCloudPoints onUploaded={onUploaded} hidden={voxelMode} />
        {voxelMode && <VoxelCloud />}
        {eyeDomeLighting && <EyeDomeLighting />}
        <CameraFrusta />
        <CameraRig />
        <FrameProbe />
      </Canvas>
    </div>
  );
}
