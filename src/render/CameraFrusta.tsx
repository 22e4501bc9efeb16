/**
 * One wire frustum per input camera, sized to the scene, with the camera's thumbnail on its image
 * plane. All cameras share one LineSegments geometry, rebuilt only when the scene changes.
 * Clicking a thumbnail looks through that camera; the camera looked through hides its own
 * thumbnail (it would cover the whole view).
 */
import { useLayoutEffect, useMemo, useRef } from 'react';
import { useFrame } from '@react-three/fiber';
import * as THREE from 'three';
import { frustumCorners, frustumLineSegments } from '../core/lift/cameraFrustum.ts';
import { asCameraToWorld } from '../core/units.ts';
import { useFieldLens } from '../app/store/store.ts';
import { drawBuffers } from '../app/store/drawBuffers.ts';
import { useInvalidate } from './useInvalidate.ts';
import type { CameraView } from '../../workers/scene/protocol.ts';

const noRaycast = () => undefined;
function meshRaycast(this: THREE.Mesh, raycaster: THREE.Raycaster, intersects: THREE.Intersection[]): void {
  if (!this.visible) return;
  THREE.Mesh.prototype.raycast.call(this, raycaster, intersects);
}

/** Frusta a few percent of the scene: visible, never hiding the cloud. */
export function frustumDepth(bounds: { min: readonly number[]; max: readonly number[] }): number {
  const extent = Math.hypot(bounds.max[0]! - bounds.min[0]!, bounds.max[1]! - bounds.min[1]!, bounds.max[2]! - bounds.min[2]!);
  return Math.min(0.5, Math.max(0.03, extent * 0.06));
}

interface ThumbnailQuad {
  readonly geometry: THREE.BufferGeometry;
  readonly texture: THREE.DataTexture;
  /** The input camera's centre (world, metres). */
  readonly centre: THREE.Vector3;
}

export function CameraFrusta({ onLookThrough }: { readonly onLookThrough: (cameraIndex: number) => void }) {
  const cameras = useFieldLens((s) => s.cameras);
  const bounds = useFieldLens((s) => s.bounds);
  const visible = useFieldLens((s) => s.showCameras);
  const lookingThrough = useFieldLens((s) => s.lookingThrough);
  const invalidate = useInvalidate();

  const geometry = useMemo(() => {
    const g = new THREE.BufferGeometry();
    if (cameras.length === 0 || !bounds) return g;
    const depth = frustumDepth(bounds);
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

  // drawBuffers.thumbnails is replaced together with `cameras` (same scene load).
  const quads = useMemo<ThumbnailQuad[]>(() => {
    if (!bounds) return [];
    const depth = frustumDepth(bounds);
    return cameras.flatMap((c, i) => {
      const thumbnail = drawBuffers.thumbnails[i];
      if (!thumbnail) return [];
      const { corners } = frustumCorners(c.intrinsics, asCameraToWorld(c.cameraToWorld), depth);
      const g = new THREE.BufferGeometry();
      g.setAttribute('position', new THREE.BufferAttribute(new Float32Array(corners.flat()), 3));
      // Corners TL, TR, BR, BL; texture row 0 is the image's top row (DataTexture, no flip).
      g.setAttribute('uv', new THREE.BufferAttribute(new Float32Array([0, 0, 1, 0, 1, 1, 0, 1]), 2));
      g.setIndex([0, 1, 2, 0, 2, 3]);
      const pixels = new Uint8Array(thumbnail.rgba.buffer, thumbnail.rgba.byteOffset, thumbnail.rgba.byteLength);
      const texture = new THREE.DataTexture(pixels, thumbnail.width, thumbnail.height, THREE.RGBAFormat);
      texture.magFilter = THREE.LinearFilter;
      texture.needsUpdate = true;
      const m = c.cameraToWorld;
      return [{ geometry: g, texture, centre: new THREE.Vector3(m[3], m[7], m[11]) }];
    });
  }, [cameras, bounds]);

  useLayoutEffect(() => {
    invalidate();
    return () => geometry.dispose();
  }, [geometry, invalidate]);

  useLayoutEffect(() => {
    invalidate();
    return () => {
      for (const q of quads) {
        q.geometry.dispose();
        q.texture.dispose();
      }
    };
  }, [quads, invalidate]);

  useLayoutEffect(() => invalidate(), [lookingThrough, visible, invalidate]);

  // A thumbnail seen from (nearly) its own camera's centre fills that camera's whole field of view
  // and hides the cloud — the initial view starts at camera 0, and look-through sits there too —
  // so thumbnails are hidden while the viewer is within a few frustum depths of their camera.
  // Checked in the frame loop (it runs only when a frame is drawn), without allocation.
  const meshes = useRef<(THREE.Mesh | null)[]>([]);
  const hideWithin = bounds ? frustumDepth(bounds) * 3 : 0;
  useFrame(({ camera }) => {
    for (let i = 0; i < quads.length; i++) {
      const mesh = meshes.current[i];
      if (mesh) mesh.visible = lookingThrough !== i && camera.position.distanceTo(quads[i]!.centre) > hideWithin;
    }
  });

  return (
    <group visible={visible}>
      <lineSegments geometry={geometry} frustumCulled={false}>
        <lineBasicMaterial color="#ffb000" />
      </lineSegments>
      {quads.map((q, i) => (
        <mesh
          key={i}
          ref={(mesh) => {
            meshes.current[i] = mesh;
          }}
          geometry={q.geometry}
          // A hidden thumbnail must not catch clicks (the one looked through covers the whole view).
          raycast={visible && lookingThrough !== i ? meshRaycast : noRaycast}
          onClick={(e) => {
            e.stopPropagation();
            onLookThrough(i);
          }}
        >
          <meshBasicMaterial map={q.texture} side={THREE.DoubleSide} toneMapped={false} />
        </mesh>
      ))}
    </group>
  );
}

/** World centre of camera `view`'s thumbnail (its image plane's centre), for scripts and tests. */
export function thumbnailCentre(view: CameraView, bounds: { min: readonly number[]; max: readonly number[] }): THREE.Vector3 {
  const { corners } = frustumCorners(view.intrinsics, asCameraToWorld(view.cameraToWorld), frustumDepth(bounds));
  const centre = new THREE.Vector3();
  for (const c of corners) centre.add(new THREE.Vector3(...c));
  return centre.multiplyScalar(0.25);
}
