/**
 * Split view (teacher vs student): the two halves of the 3D view show one query's relevancy on two
 * feature sets (drawBuffers.comparison a | b) through the same camera, coloured on one shared
 * scale (comparisonInfo.min … max). While mounted it takes over rendering (useFrame priority 1):
 * each half is drawn with the scissor test and the camera's aspect set to the half's, so moving
 * the camera moves both views together.
 */
import { useFrame, useThree } from '@react-three/fiber';
import { useLayoutEffect, useMemo, useRef } from 'react';
import * as THREE from 'three';
import { COLORMAP_TABLES } from '../core/color/colormapTables.ts';
import { writeScalarColors } from '../core/color/scalarDisplay.ts';
import { drawBuffers } from '../app/store/drawBuffers.ts';
import { useFieldLens } from '../app/store/store.ts';
import { frameKey } from '../app/store/viewSettings.ts';
import { applyPointUniforms, createPointMaterial } from './cloudMaterials.ts';
import { useInvalidate } from './useInvalidate.ts';

/** The frame key the viewport waits for while the split view is shown. */
export const splitFrameKey = (key: string) => `${key}|split`;

/** One geometry per half: shared positions, colours from that half's values on the shared scale. */
function halfGeometry(
  positions: THREE.BufferAttribute,
  values: Float32Array,
  rgb: Uint8Array,
  table: Uint8Array,
  min: number,
  max: number,
): THREE.BufferGeometry {
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', positions);
  // The plain heatmap in both halves: the threshold display would hide the scale's lower part.
  g.setAttribute('color', new THREE.BufferAttribute(writeScalarColors(values, rgb, { table, min, max, threshold: 0, below: 'colormap' }), 3, true));
  return g;
}

export function SplitComparison({ onUploaded }: { readonly onUploaded: (frameKey: string) => void }) {
  const sceneVersion = useFieldLens((s) => s.sceneVersion);
  const queryVersion = useFieldLens((s) => s.queryVersion);
  const comparison = useFieldLens((s) => s.comparisonInfo);
  const colormap = useFieldLens((s) => s.viewSettings.colormap);
  const view = useFieldLens((s) => s.viewSettings);
  const wholeKey = useFieldLens(frameKey);
  const pixelRatio = useThree((s) => s.viewport.dpr);
  const canvasHeight = useThree((s) => s.size.height);
  const invalidate = useInvalidate();
  const left = useRef<THREE.Points>(null);
  const right = useRef<THREE.Points>(null);

  const halves = useMemo(() => {
    const cloud = drawBuffers.cloud;
    const values = drawBuffers.comparison;
    if (!cloud || !values || !comparison) return null;
    const positions = new THREE.BufferAttribute(cloud.positions, 3);
    const table = COLORMAP_TABLES[colormap];
    return [values.a, values.b].map((v) => halfGeometry(positions, v, cloud.colors, table, comparison.min, comparison.max)) as [
      THREE.BufferGeometry,
      THREE.BufferGeometry,
    ];
    // sceneVersion / queryVersion stand for drawBuffers.cloud / comparison, replaced exactly when they move.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sceneVersion, queryVersion, comparison, colormap]);
  const material = useMemo(() => createPointMaterial(), []);
  useLayoutEffect(() => () => halves?.forEach((g) => g.dispose()), [halves]);
  useLayoutEffect(() => () => material.dispose(), [material]);

  useLayoutEffect(() => {
    applyPointUniforms(material.uniforms, view, pixelRatio, canvasHeight * pixelRatio);
    if (halves) onUploaded(splitFrameKey(wholeKey));
    invalidate();
  }, [halves, material, view, pixelRatio, canvasHeight, wholeKey, onUploaded, invalidate]);
  // Unmounting hands rendering back to the default loop: draw one frame with it.
  useLayoutEffect(() => () => invalidate(), [invalidate]);

  useFrame(({ gl, scene, camera, size }) => {
    const a = left.current;
    const b = right.current;
    if (!a || !b || !(camera instanceof THREE.PerspectiveCamera)) {
      gl.render(scene, camera);
      return;
    }
    const half = Math.floor(size.width / 2);
    const aspect = camera.aspect;
    camera.aspect = half / size.height;
    camera.updateProjectionMatrix();
    gl.setScissorTest(true);
    for (const [shown, x, width] of [
      [a, 0, half],
      [b, half, size.width - half],
    ] as const) {
      a.visible = shown === a;
      b.visible = shown === b;
      gl.setViewport(x, 0, width, size.height);
      gl.setScissor(x, 0, width, size.height);
      gl.render(scene, camera);
    }
    a.visible = false;
    b.visible = false;
    gl.setScissorTest(false);
    gl.setViewport(0, 0, size.width, size.height);
    camera.aspect = aspect;
    camera.updateProjectionMatrix();
  }, 1);

  if (!halves) return null;
  return (
    <>
      <points ref={left} geometry={halves[0]} material={material} visible={false} frustumCulled={false} />
      <points ref={right} geometry={halves[1]} material={material} visible={false} frustumCulled={false} />
    </>
  );
}
