/**
 * The answer of a relation query in the 3D view: the reference's box outlined (REFERENCE_COLOR), an
 * arrow from the reference's centroid to the target's (ARROW_COLOR) labelled with the relation. The
 * target itself is highlighted by the segment colours (segmentColors.ts). Drawn over the cloud (no
 * depth test), sized as fractions of the scene's diagonal. Shown with the 'segments' colour mode.
 */
import { useMemo } from 'react';
import * as THREE from 'three';
import { useFieldLens } from '../app/store/store.ts';
import { colorModeSpec } from '../app/query/colorModes.ts';

export const ARROW_COLOR = '#ff00ff';
export const REFERENCE_COLOR = '#00ffff';
const SHAFT_OF_DIAGONAL = 0.004;
const HEAD_OF_DIAGONAL = 0.02;

function boxEdges(min: readonly number[], max: readonly number[]): THREE.BufferGeometry {
  const c = (i: number) => [i & 1 ? max[0]! : min[0]!, i & 2 ? max[1]! : min[1]!, i & 4 ? max[2]! : min[2]!];
  const edges = [0, 1, 1, 3, 3, 2, 2, 0, 4, 5, 5, 7, 7, 6, 6, 4, 0, 4, 1, 5, 2, 6, 3, 7];
  return new THREE.BufferGeometry().setAttribute('position', new THREE.Float32BufferAttribute(edges.flatMap(c), 3));
}

function labelTexture(text: string): { texture: THREE.CanvasTexture; aspect: number } {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d')!;
  ctx.font = 'bold 48px sans-serif';
  canvas.width = Math.ceil(ctx.measureText(text).width) + 24;
  canvas.height = 64;
  ctx.font = 'bold 48px sans-serif';
  ctx.fillStyle = 'rgba(16, 20, 24, 0.8)';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = ARROW_COLOR;
  ctx.textBaseline = 'middle';
  ctx.fillText(text, 12, 34);
  return { texture: new THREE.CanvasTexture(canvas), aspect: canvas.width / canvas.height };
}

export function RelationOverlay() {
  const relation = useFieldLens((s) => (s.segments.shown === 'relation' ? s.segments.relation : null));
  const visible = useFieldLens((s) => colorModeSpec(s.colorMode).drawsRelation);
  const bounds = useFieldLens((s) => s.bounds);
  const up = useFieldLens((s) => s.viewpoint?.up ?? null);
  const parts = useMemo(() => {
    if (!relation || !bounds) return null;
    const diagonal = Math.hypot(bounds.max[0] - bounds.min[0], bounds.max[1] - bounds.min[1], bounds.max[2] - bounds.min[2]);
    const from = new THREE.Vector3(...relation.reference.centroid);
    const to = new THREE.Vector3(...relation.target.centroid);
    const direction = to.clone().sub(from);
    const length = Math.max(direction.length(), 1e-6);
    const head = Math.min(diagonal * HEAD_OF_DIAGONAL, length * 0.4);
    const rotation = new THREE.Quaternion().setFromUnitVectors(new THREE.Vector3(0, 1, 0), direction.clone().normalize());
    const label = labelTexture(relation.label);
    // Sized by the arrow (a short "on" arrow gets a small label), never beyond 3 % of the scene; lifted above the arrow.
    const labelHeight = Math.min(diagonal * 0.03, Math.max(length * 0.3, diagonal * 0.008));
    const lift = new THREE.Vector3(...(up ?? [0, 0, 0])).multiplyScalar(labelHeight);
    return {
      edges: boxEdges(relation.reference.min, relation.reference.max),
      shaft: { position: from.clone().add(direction.clone().multiplyScalar((length - head) / (2 * length))), length: length - head, rotation },
      head: { position: to.clone().sub(direction.clone().multiplyScalar(head / (2 * length))), length: head, rotation },
      // Thin for short arrows: at most 3 % of the arrow length.
      radius: Math.max(Math.min(diagonal * SHAFT_OF_DIAGONAL, length * 0.03), 1e-4),
      label: { ...label, position: from.clone().add(direction.clone().multiplyScalar(0.5)).add(lift), height: labelHeight },
    };
  }, [relation, bounds, up]);
  if (!parts || !visible) return null;
  const material = { color: ARROW_COLOR, depthTest: false, depthWrite: false, transparent: true, toneMapped: false } as const;
  return (
    <group name="relation-overlay" renderOrder={20}>
      <lineSegments geometry={parts.edges} renderOrder={20}>
        <lineBasicMaterial color={REFERENCE_COLOR} depthTest={false} depthWrite={false} transparent toneMapped={false} />
      </lineSegments>
      <mesh position={parts.shaft.position} quaternion={parts.shaft.rotation} renderOrder={21}>
        <cylinderGeometry args={[parts.radius, parts.radius, parts.shaft.length, 12]} />
        <meshBasicMaterial {...material} />
      </mesh>
      <mesh position={parts.head.position} quaternion={parts.head.rotation} renderOrder={21}>
        <coneGeometry args={[parts.radius * 3, parts.head.length, 16]} />
        <meshBasicMaterial {...material} />
      </mesh>
      <sprite position={parts.label.position} scale={[parts.label.height * parts.label.aspect, parts.label.height, 1]} renderOrder={22}>
        <spriteMaterial map={parts.label.texture} depthTest={false} depthWrite={false} transparent toneMapped={false} />
      </sprite>
    </group>
  );
}
