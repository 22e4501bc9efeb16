/**
 * Voxel mode: one cube per occupied voxel (THREE.InstancedMesh), coloured with the mean of the
 * current display colours of its points (displayVoxels.ts), so every colour mode works the same
 * as with points. Rebuilt when the colours (drawKey), the voxel size, the crop box or the scene
 * change — never per frame. Faces get fixed shade factors so neighbouring cubes stay readable
 * without lights; the voxel colour itself is the exact mean.
 */
import { useEffect, useLayoutEffect, useMemo } from 'react';
import * as THREE from 'three';
import { displayVoxels } from '../core/lift/displayVoxels.ts';
import { drawBuffers } from '../app/store/drawBuffers.ts';
import { useFieldLens } from '../app/store/store.ts';
import { drawKey } from '../app/store/viewSettings.ts';
import { displayColorsFor } from './displayColorCache.ts';
import { useInvalidate } from './useInvalidate.ts';

const vertexShader = /* glsl */ `
varying vec3 vColor;
varying float vShade;
void main() {
  gl_Position = projectionMatrix * viewMatrix * modelMatrix * instanceMatrix * vec4(position, 1.0);
  vec3 n = abs(normal);
  vShade = n.x > 0.5 ? 0.8 : n.y > 0.5 ? 1.0 : 0.65;
  vColor = instanceColor;
}
`;
const fragmentShader = /* glsl */ `
varying vec3 vColor;
varying float vShade;
void main() {
  gl_FragColor = vec4(vColor * vShade, 1.0);
}
`;

export function VoxelCloud({ onError }: { readonly onError: (error: unknown) => void }) {
  const sceneVersion = useFieldLens((s) => s.sceneVersion);
  const colorsKey = useFieldLens(drawKey);
  const voxelSize = useFieldLens((s) => s.viewSettings.displayVoxelSize);
  const cropBox = useFieldLens((s) => s.viewSettings.cropBox);
  const invalidate = useInvalidate();
  const box = useMemo(() => new THREE.BoxGeometry(1, 1, 1), []);
  const material = useMemo(() => new THREE.ShaderMaterial({ vertexShader, fragmentShader, toneMapped: false }), []);

  const built = useMemo(() => {
    const cloud = drawBuffers.cloud;
    const colors = displayColorsFor(useFieldLens.getState());
    if (!cloud || !colors) return { mesh: null, error: null };
    let voxels;
    try {
      voxels = displayVoxels(cloud.positions, colors, cloud.count, voxelSize, cropBox);
    } catch (error) {
      // E.g. a point too far from the origin for a 32-bit voxel key: say so, draw no voxels.
      return { mesh: null, error };
    }
    const m = new THREE.InstancedMesh(box, material, Math.max(1, voxels.count));
    m.count = voxels.count;
    m.frustumCulled = false;
    const matrices = m.instanceMatrix.array as Float32Array;
    for (let v = 0; v < voxels.count; v++) {
      const o = v * 16;
      // Column-major scale(voxelSize) then translate(centre).
      matrices[o] = matrices[o + 5] = matrices[o + 10] = voxels.voxelSize;
      matrices[o + 12] = voxels.centres[v * 3]!;
      matrices[o + 13] = voxels.centres[v * 3 + 1]!;
      matrices[o + 14] = voxels.centres[v * 3 + 2]!;
      matrices[o + 15] = 1;
    }
    m.instanceMatrix.needsUpdate = true;
    m.instanceColor = new THREE.InstancedBufferAttribute(voxels.colors.length > 0 ? voxels.colors : new Uint8Array(3), 3, true);
    return { mesh: m, error: null };
    // colorsKey / sceneVersion name the inputs read from drawBuffers and the colour cache.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sceneVersion, colorsKey, voxelSize, cropBox, box, material]);

  const mesh = built.mesh;
  useEffect(() => {
    if (built.error !== null) onError(built.error);
  }, [built, onError]);
  useLayoutEffect(() => () => mesh?.dispose(), [mesh]);
  useLayoutEffect(
    () => () => {
      box.dispose();
      material.dispose();
    },
    [box, material],
  );
  useLayoutEffect(() => invalidate(), [mesh, invalidate]);

  return mesh ? <primitive object={mesh} /> : null;
}
