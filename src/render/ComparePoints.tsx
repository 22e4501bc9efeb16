/**
 * The compared scene (*Compare with…*) in the same 3D view: its points drawn with the point
 * material at the placement offset (beside the shown scene, or over it), in their own colours or,
 * after a double-click, coloured by similarity on the shared scale; rings mark the picked point
 * and its best matches in the other scene. A double-click whose nearest point under the cursor
 * belongs to this scene (nearer the camera than the shown scene's) is this scene's pick: it stops
 * the event before the shown scene's own handler sees it.
 */
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import * as THREE from 'three';
import { COLORMAP_TABLES } from '../core/color/colormapTables.ts';
import { writeScalarColors } from '../core/color/scalarDisplay.ts';
import { compareOffset } from '../app/store/comparePlacement.ts';
import { compareBuffers, drawBuffers } from '../app/store/drawBuffers.ts';
import { useFieldLens } from '../app/store/store.ts';
import { applyPointUniforms, createPointMaterial } from './cloudMaterials.ts';
import { pickAtCursor } from './pickAtCursor.ts';
import { useInvalidate } from './useInvalidate.ts';

/** Marker ring radius as a fraction of the shown scene's bounding-box diagonal. */
const RING_OF_DIAGONAL = 0.012;
const MATCH_COLOUR = '#2be0ff';
const SEED_COLOUR = '#ff2bd6';

export function ComparePoints({ onPickOther }: { readonly onPickOther: (pointIndex: number) => void }) {
  const version = useFieldLens((s) => s.sceneVersion);
  const compareVersion = useFieldLens((s) => s.compare.version);
  const name = useFieldLens((s) => s.compare.name);
  const range = useFieldLens((s) => s.compare.range);
  const seed = useFieldLens((s) => s.compare.seed);
  const matches = useFieldLens((s) => s.compare.matches);
  const placement = useFieldLens((s) => s.compare.placement);
  const overlayOffset = useFieldLens((s) => s.compare.overlayOffset);
  const otherBounds = useFieldLens((s) => s.compare.bounds);
  const bounds = useFieldLens((s) => s.bounds);
  const view = useFieldLens((s) => s.viewSettings);
  const pixelRatio = useThree((s) => s.viewport.dpr);
  const canvasHeight = useThree((s) => s.size.height);
  const invalidate = useInvalidate();
  const offset = useMemo(() => compareOffset({ placement, overlayOffset, bounds: otherBounds }, bounds), [placement, overlayOffset, otherBounds, bounds]);

  const geometry = useMemo(() => {
    const { positions, colors, count, similarity } = compareBuffers;
    if (!positions || !colors || name === null) return null;
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(positions, 3));
    const shown =
      similarity && range
        ? writeScalarColors(similarity, colors, { table: COLORMAP_TABLES[view.colormap], min: range.min, max: range.max, threshold: 0, below: 'colormap' })
        : new Uint8Array(colors.subarray(0, count * 3));
    g.setAttribute('color', new THREE.BufferAttribute(shown, 3, true));
    return g;
    // compareVersion stands for compareBuffers, replaced exactly when it moves.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [compareVersion, name, range, view.colormap, version]);
  const material = useMemo(() => createPointMaterial(), []);
  useLayoutEffect(() => () => geometry?.dispose(), [geometry]);
  useLayoutEffect(() => () => material.dispose(), [material]);
  useLayoutEffect(() => {
    applyPointUniforms(material.uniforms, view, pixelRatio, canvasHeight * pixelRatio);
    invalidate();
  }, [geometry, material, view, pixelRatio, canvasHeight, offset, seed, matches, invalidate]);

  useOtherScenePick(offset, onPickOther);

  if (!geometry || !bounds) return null;
  const diagonal = Math.hypot(bounds.max[0] - bounds.min[0], bounds.max[1] - bounds.min[1], bounds.max[2] - bounds.min[2]);
  const radius = Math.max(diagonal * RING_OF_DIAGONAL, 1e-4);
  // Matches lie in the scene opposite the picked point; positions are in their own scene's frame.
  const matchOffset = seed?.side === 'main' ? offset : [0, 0, 0];
  const seedOffset = seed?.side === 'other' ? offset : null;
  return (
    <>
      <group position={offset}>
        <points geometry={geometry} material={material} frustumCulled={false} name="compared-scene" />
      </group>
      {matches.map((m, k) => (
        <Ring key={`${compareVersion}:${k}`} at={add(m.position, matchOffset)} radius={radius * (k === 0 ? 1.2 : 0.8)} colour={MATCH_COLOUR} />
      ))}
      {seed && seedOffset && <Ring at={add(seed.position, seedOffset)} radius={radius} colour={SEED_COLOUR} />}
    </>
  );
}

const add = (p: readonly number[], o: readonly number[]): [number, number, number] => [p[0]! + o[0]!, p[1]! + o[1]!, p[2]! + o[2]!];

/** A ring facing the camera, drawn over the clouds. */
function Ring({ at, radius, colour }: { readonly at: [number, number, number]; readonly radius: number; readonly colour: string }) {
  const ring = useRef<THREE.Mesh>(null);
  useFrame(({ camera }) => ring.current?.quaternion.copy(camera.quaternion));
  return (
    <mesh ref={ring} position={at} renderOrder={11} name="compare-marker">
      <ringGeometry args={[radius * 0.6, radius, 32]} />
      <meshBasicMaterial color={colour} depthTest={false} depthWrite={false} transparent toneMapped={false} />
    </mesh>
  );
}

/** Capture-phase double-click: a pick in this scene, when nearer than the shown scene's, stops the event. */
function useOtherScenePick(offset: readonly [number, number, number], onPickOther: (pointIndex: number) => void): void {
  const canvas = useThree((s) => s.gl.domElement);
  const get = useThree((s) => s.get);
  useEffect(() => {
    const onDoubleClick = (event: MouseEvent) => {
      const { positions, count } = compareBuffers;
      if (!positions || count === 0) return;
      const placed = new Float32Array(count * 3);
      for (let i = 0; i < count; i++) for (let a = 0; a < 3; a++) placed[3 * i + a] = positions[3 * i + a]! + offset[a]!;
      const other = pickAtCursor(placed, count, event, canvas, get);
      if (!other) return;
      const cloud = drawBuffers.cloud;
      const main = cloud ? pickAtCursor(cloud.positions, cloud.count, event, canvas, get) : null;
      if (main && main.distance <= other.distance) return;
      event.stopImmediatePropagation();
      onPickOther(other.index);
    };
    canvas.addEventListener('dblclick', onDoubleClick, { capture: true });
    return () => canvas.removeEventListener('dblclick', onDoubleClick, { capture: true });
  }, [canvas, get, offset, onPickOther]);
}
