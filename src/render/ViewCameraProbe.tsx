/**
 * Lets the page read the 3D view's camera (for *Render view*) without render code calling an app
 * action: it hands a reader to `onReady` (viewportCallbacks) while mounted.
 */
import { useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import * as THREE from 'three';
import type { ViewCameraSnapshot } from '../core/render/viewRender.ts';

export function ViewCameraProbe({ onReady }: { readonly onReady: (read: () => ViewCameraSnapshot) => () => void }) {
  const get = useThree((s) => s.get);
  useEffect(
    () =>
      onReady(() => {
        const { camera, size } = get();
        camera.updateMatrixWorld();
        const fov = camera instanceof THREE.PerspectiveCamera ? camera.fov : 50;
        return { matrixWorld: [...camera.matrixWorld.elements], verticalFovDeg: fov, aspect: size.width / size.height };
      }),
    [get, onReady],
  );
  return null;
}
