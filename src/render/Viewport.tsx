/**
 * The 3D viewport: an on-demand R3F canvas (no redraw when nothing changed) with orbit / zoom /
 * pan. `data-ready="true"` is set once a frame showing the current scene + query + colour mode has
 * actually been rendered — the signal end-to-end tests and scripts wait for.
 */
import { addAfterEffect, Canvas, useThree } from '@react-three/fiber';
import { useCallback, useEffect, useRef, useState } from 'react';
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { useFieldLens } from '../app/store/store.ts';
import { PointCloudPoints } from './PointCloudPoints.tsx';
import { CameraFrusta } from './CameraFrusta.tsx';
import { FrameProbe } from './FrameProbe.tsx';

export function Viewport() {
  const sceneVersion = useFieldLens((s) => s.sceneVersion);
  const queryVersion = useFieldLens((s) => s.queryVersion);
  const colorMode = useFieldLens((s) => s.colorMode);
  const activeLayer = useFieldLens((s) => s.activeLayer);
  const wantedKey = `${sceneVersion}:${queryVersion}:${colorMode}:${activeLayer}`;
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
        dpr={[1, 2]}
        gl={{ preserveDrawingBuffer: true, antialias: false }}
        camera={{ fov: 55, near: 0.01, far: 100 }}
        // Pick radius for points, in world units (double-click → similarity).
        raycaster={{ params: { Points: { threshold: 0.01 } } as THREE.RaycasterParameters }}
      >
        <color attach="background" args={['#101418']} />
        <PointCloudPoints onUploaded={onUploaded} />
        <CameraFrusta />
        <CameraRig />
        <FrameProbe />
      </Canvas>
    </div>
  );
}

interface InitialView {
  readonly position: THREE.Vector3;
  readonly target: THREE.Vector3;
  readonly up: THREE.Vector3;
  readonly near: number;
  readonly far: number;
}

/**
 * The start view: at the first input camera, backed off along its viewing ray so the whole cloud
 * (not only that camera's frustum) shows, looking at the point on the ray nearest the centroid.
 */
function initialView(viewpoint: { cameraToWorld: readonly number[]; up: readonly [number, number, number] }, bounds: { min: readonly number[]; max: readonly number[]; centroid: readonly number[] }): InitialView {
  const m = viewpoint.cameraToWorld;
  const eye = new THREE.Vector3(m[3], m[7], m[11]);
  const forward = new THREE.Vector3(m[2], m[6], m[10]).normalize();
  const distance = Math.max(0.1, new THREE.Vector3().fromArray(bounds.centroid).sub(eye).dot(forward));
  const extent = new THREE.Vector3().fromArray(bounds.max).sub(new THREE.Vector3().fromArray(bounds.min)).length();
  return {
    position: eye.clone().addScaledVector(forward, -0.25 * distance),
    target: eye.clone().addScaledVector(forward, distance),
    up: new THREE.Vector3(...viewpoint.up),
    near: Math.max(0.001, extent / 1000),
    far: extent * 20 + distance * 4,
  };
}

/**
 * Applies the initial view and (re)creates orbit controls around the scene's up axis —
 * OrbitControls reads camera.up only when constructed, so a scene with another up gets new ones.
 */
function CameraRig() {
  const viewpoint = useFieldLens((s) => s.viewpoint);
  const bounds = useFieldLens((s) => s.bounds);
  const get = useThree((s) => s.get);

  useEffect(() => {
    const { camera, gl, invalidate } = get();
    const view = viewpoint && bounds ? initialView(viewpoint, bounds) : null;
    if (view) {
      camera.position.copy(view.position);
      camera.up.copy(view.up);
      if (camera instanceof THREE.PerspectiveCamera) {
        camera.near = view.near;
        camera.far = view.far;
        camera.updateProjectionMatrix();
      }
    }
    const controls = new OrbitControls(camera, gl.domElement);
    if (view) controls.target.copy(view.target);
    controls.update();
    controls.addEventListener('change', () => invalidate());
    invalidate();
    return () => controls.dispose();
  }, [viewpoint, bounds, get]);

  return null;
}
