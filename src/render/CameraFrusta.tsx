/**
 * One wire frustum per input camera, sized to the scene. All cameras share one LineSegments
 * geometry, rebuilt only when the scene changes.
 */
import { useLayoutEffect, useMemo } from 'react';
import * as THREE from 'three';
import { frustumLineSegments } from '../core/lift/cameraFrustum.ts';
import { asCameraToWorld } from '../core/units.ts';
import { useFieldLens } from '../app/store/store.ts';
import { useInvalidate } from './useInvalidate.ts';

export function CameraFrusta() {
  const cameras = useFieldLens((s) => s.cameras);
  const bounds = useFieldLens((s) => s.bounds);
  const visible = useFieldLens((s) => s.showCameras);
  const invalidate = useInvalidate();

  const geometry = useMemo(() => {
    const g = new THREE.BufferGeometry();
    if (cameras.length === 0 || !bounds) return g;
    const extent = Math.hypot(bounds.max[0] - bounds.min[0], bounds.max[1] - bounds.min[1], bounds.max[2] - bounds.min[2]);
    // Frusta a few percent of the scene: visible, never hiding the cloud.
    const depth = Math.min(0.5, Math.max(0.03, extent * 0.06));
    const parts = cameras.map((c) => frustumLineSegments(c.intrinsics, asCameraToWorld(c.cameraToWorld), depth));
    const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      all.set(p, offset);
      offset += p.length;
    }
    g.setAttribute('position', new THREE.BufferAttribute(all, 3));
    return g;
  }, [cameras, bounds]);

  useLayoutEffect(() => {
    invalidate();
    return () => geometry.dispose();
  }, [geometry, invalidate]);

  return (
    <lineSegments geometry={geometry} visible={visible} frustumCulled={false}>
      <lineBasicMaterial color="#ffb000" />
    </lineSegments>
  );
}
