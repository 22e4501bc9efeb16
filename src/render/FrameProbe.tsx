/**
 * Registers render measurements (renderProbe) while the Canvas is mounted. Renders nothing and
 * adds no per-frame work: it only acts when a script asks.
 */
import { useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import * as THREE from 'three';
import { renderProbe } from './renderProbe.ts';

export function FrameProbe() {
  const get = useThree((s) => s.get);
  useEffect(() => {
    renderProbe.current = {
      renderFrames(frames, orbitDegreesPerFrame = 0) {
        const { gl, scene, camera } = get();
        const context = gl.getContext();
        const pixel = new Uint8Array(4);
        // Orbiting: the camera turns about the vertical through the origin each frame (a moving camera, for the point budget), then returns.
        const start = { position: camera.position.clone(), quaternion: camera.quaternion.clone() };
        const turn = new THREE.Quaternion().setFromAxisAngle(camera.up, THREE.MathUtils.degToRad(orbitDegreesPerFrame));
        const t0 = performance.now();
        for (let f = 0; f < frames; f++) {
          if (orbitDegreesPerFrame !== 0) {
            camera.position.applyQuaternion(turn);
            camera.quaternion.premultiply(turn);
          }
          gl.render(scene, camera);
          // Reading a pixel waits for the frame to finish, so the time is the GPU's too.
          context.readPixels(0, 0, 1, 1, context.RGBA, context.UNSIGNED_BYTE, pixel);
        }
        const ms = (performance.now() - t0) / frames;
        camera.position.copy(start.position);
        camera.quaternion.copy(start.quaternion);
        return ms;
      },
      stats() {
        const { gl, scene } = get();
        let geometryBytes = 0;
        const seen = new Set<unknown>();
        scene.traverse((object) => {
          const geometry = (object as { geometry?: unknown }).geometry;
          if (!(geometry instanceof THREE.BufferGeometry) || seen.has(geometry)) return;
          seen.add(geometry);
          const attributes = geometry.attributes as Record<string, { array: ArrayLike<number> & { byteLength: number } }>;
          for (const name of Object.keys(attributes)) geometryBytes += attributes[name]!.array.byteLength;
          const index = geometry.index as { array: { byteLength: number } } | null;
          if (index) geometryBytes += index.array.byteLength;
        });
        const size = gl.getDrawingBufferSize(new THREE.Vector2());
        return {
          geometries: gl.info.memory.geometries,
          textures: gl.info.memory.textures,
          geometryBytes,
          drawCalls: gl.info.render.calls,
          points: gl.info.render.points,
          canvas: { width: size.x, height: size.y },
        };
      },
    };
    return () => {
      renderProbe.current = null;
    };
  }, [get]);
  return null;
}
