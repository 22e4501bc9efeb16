/**
 * Marks the double-clicked point that the similarity colours compare with: a ring facing the
 * camera, drawn over the cloud, sized as a fixed fraction of the scene. Similarity mode only.
 */
import { colorModeSpec } from '../app/query/colorModes.ts';
import { useFrame } from '@react-three/fiber';
import { useRef } from 'react';
import type * as THREE from 'three';
import { useFieldLens } from '../app/store/store.ts';

/** Ring radius as a fraction of the scene's bounding-box diagonal. */
const RADIUS_OF_DIAGONAL = 0.012;

export function SimilarityMarker() {
  const seed = useFieldLens((s) => (colorModeSpec(s.colorMode).marksPickedPoint ? s.similaritySeed : null));
  const bounds = useFieldLens((s) => s.bounds);
  const ring = useRef<THREE.Mesh>(null);
  // Faces the camera in every rendered frame (the canvas renders on demand, so this costs nothing at rest).
  useFrame(({ camera }) => ring.current?.quaternion.copy(camera.quaternion));
  if (!seed || !bounds) return null;
  const diagonal = Math.hypot(bounds.max[0] - bounds.min[0], bounds.max[1] - bounds.min[1], bounds.max[2] - bounds.min[2]);
  const radius = Math.max(diagonal * RADIUS_OF_DIAGONAL, 1e-4);
  return (
    <mesh ref={ring} position={[...seed.position]} renderOrder={10} name="similarity-marker">
      <ringGeometry args={[radius * 0.6, radius, 32]} />
      <meshBasicMaterial color="#ff2bd6" depthTest={false} depthWrite={false} transparent toneMapped={false} />
    </mesh>
  );
}
