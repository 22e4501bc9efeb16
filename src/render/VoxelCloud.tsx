/**
 * Voxel mode: one cube per occupied voxel, coloured with the mean of the current display colours
 * of its points, so every colour mode works the same as with points. The cubes are computed in
 * the scene worker (onVoxelsWanted → the voxel slice → drawBuffers.voxels): the main thread only
 * asks once per change of the colours (drawKey), the voxel size, the crop box or the scene, and
 * wraps the transferred centres and colours as instanced attributes (no per-voxel loop here).
 * The cubes shown stay until the wanted ones arrive; `onUploaded` reports the frame key only once
 * they answer the current request. Faces get fixed shade factors so neighbouring cubes stay
 * readable without lights; the voxel colour itself is the exact mean.
 */
import { useEffect, useLayoutEffect, useMemo } from 'react';
import * as THREE from 'three';
import { drawBuffers } from '../app/store/drawBuffers.ts';
import { useFieldLens } from '../app/store/store.ts';
import { drawKey, frameKey } from '../app/store/viewSettings.ts';
import type { VoxelRequest } from '../app/store/voxelSlice.ts';
import { displayColorsFor } from './displayColorCache.ts';
import { useInvalidate } from './useInvalidate.ts';

const vertexShader = /* glsl */ `
attribute vec3 voxelCentre;
attribute vec3 voxelColor;
varying vec3 vColor;
varying float vShade;
void main() {
  gl_Position = projectionMatrix * viewMatrix * modelMatrix * vec4(position + voxelCentre, 1.0);
  vec3 n = abs(normal);
  vShade = n.x > 0.5 ? 0.8 : n.y > 0.5 ? 1.0 : 0.65;
  vColor = voxelColor;
}
`;
const fragmentShader = /* glsl */ `
varying vec3 vColor;
varying float vShade;
void main() {
  gl_FragColor = vec4(vColor * vShade, 1.0);
}
`;

/** The key of everything the cubes depend on. */
export function voxelKeyOf(s: Parameters<typeof drawKey>[0]): string {
  const v = s.viewSettings;
  const box = v.cropBox ? `${v.cropBox.min.join(',')}/${v.cropBox.max.join(',')}` : '-';
  return `${drawKey(s)}|${v.displayVoxelSize}|${box}`;
}

export function VoxelCloud({
  onVoxelsWanted,
  onUploaded,
}: {
  readonly onVoxelsWanted: (request: VoxelRequest) => void;
  readonly onUploaded: (frameKey: string) => void;
}) {
  const wantedKey = useFieldLens(voxelKeyOf);
  const wholeKey = useFieldLens(frameKey);
  const shown = useFieldLens((s) => s.voxels);
  const invalidate = useInvalidate();
  const box = useMemo(() => new THREE.BoxGeometry(1, 1, 1), []);
  // One material for every set of cubes: a new one per set would compile its program again (slow in software GL).
  const material = useMemo(() => new THREE.ShaderMaterial({ vertexShader, fragmentShader, toneMapped: false }), []);

  // Ask the worker whenever the wanted cubes change (the slice coalesces a slider drag).
  useEffect(() => {
    const state = useFieldLens.getState();
    const cloud = drawBuffers.cloud;
    const colors = displayColorsFor(state);
    if (!cloud || !colors) return;
    const v = state.viewSettings;
    onVoxelsWanted({
      key: wantedKey,
      sceneVersion: state.sceneVersion,
      colors,
      colorsKey: drawKey(state),
      pointCount: cloud.count,
      voxelSizeMetres: v.displayVoxelSize,
      box: v.cropBox,
    });
  }, [wantedKey, onVoxelsWanted]);

  const mesh = useMemo(() => {
    const voxels = drawBuffers.voxels;
    if (!shown || !voxels || voxels.sceneVersion !== shown.sceneVersion || voxels.count === 0) return null;
    const geometry = new THREE.InstancedBufferGeometry();
    geometry.index = box.index;
    // The unit cube scaled to the voxel edge (24 vertices), so the shared material needs no per-set uniform.
    const unit = box.getAttribute('position').array as Float32Array;
    geometry.setAttribute(
      'position',
      new THREE.BufferAttribute(
        unit.map((c) => c * voxels.voxelSize),
        3,
      ),
    );
    geometry.setAttribute('normal', box.getAttribute('normal'));
    geometry.setAttribute('voxelCentre', new THREE.InstancedBufferAttribute(voxels.centres, 3));
    geometry.setAttribute('voxelColor', new THREE.InstancedBufferAttribute(voxels.colors, 3, true));
    geometry.instanceCount = voxels.count;
    const m = new THREE.Mesh(geometry, material);
    m.frustumCulled = false;
    return m;
  }, [shown, box, material]);

  useLayoutEffect(() => () => mesh?.geometry.dispose(), [mesh]);
  useLayoutEffect(
    () => () => {
      box.dispose();
      material.dispose();
    },
    [box, material],
  );
  useLayoutEffect(() => {
    if (shown?.key === wantedKey) onUploaded(wholeKey);
    invalidate();
  }, [mesh, shown, wantedKey, wholeKey, onUploaded, invalidate]);

  return mesh ? <primitive object={mesh} /> : null;
}
