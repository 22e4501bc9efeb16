/**
 * Draws drawBuffers.cloud as GL points with the point material (cloudMaterials.ts). Geometry is
 * rebuilt only when sceneVersion moves; colours are rewritten only when drawKey moves
 * (displayColorCache.ts); uniforms are set when view settings or the canvas size change — never
 * per frame. A double-click on the canvas picks the point under the cursor (pickPoint.ts) once.
 */
import { useThree } from '@react-three/fiber';
import { useInvalidate } from './useInvalidate.ts';
import { useCallback, useEffect, useLayoutEffect, useMemo } from 'react';
import * as THREE from 'three';
import { drawBuffers } from '../app/store/drawBuffers.ts';
import { useFieldLens } from '../app/store/store.ts';
import { drawKey, frameKey } from '../app/store/viewSettings.ts';
import { applyPointUniforms, createPointMaterial } from './cloudMaterials.ts';
import { displayColorsFor } from './displayColorCache.ts';
import { pickAtCursor } from './pickAtCursor.ts';
import { PointBudget } from './pointBudget.ts';
import { gatherRows } from '../core/lift/drawOrder.ts';
import { SimilarityMarker } from './SimilarityMarker.tsx';

export interface PointCloudPointsProps {
  /** Called after the GPU buffers hold the state identified by `frameKey`. */
  readonly onUploaded: (frameKey: string) => void;
  /** Double-click on a point. */
  readonly onPickPoint: (pointIndex: number) => void;
  /** Geometry only (voxel mode draws instead): the points stay pickable but are not drawn. */
  readonly hidden?: boolean;
}

export function PointCloudPoints({ onUploaded, onPickPoint, hidden = false }: PointCloudPointsProps) {
  const sceneVersion = useFieldLens((s) => s.sceneVersion);
  const colorsKey = useFieldLens(drawKey);
  const wholeKey = useFieldLens(frameKey);
  const view = useFieldLens((s) => s.viewSettings);
  const pixelRatio = useThree((s) => s.viewport.dpr);
  const canvasHeight = useThree((s) => s.size.height);
  const invalidate = useInvalidate();

  const geometry = useMemo(() => {
    const cloud = drawBuffers.cloud;
    const g = new THREE.BufferGeometry();
    if (!cloud) return g;
    // With a draw order the GPU copies are written in that order, so the point budget draws one
    // contiguous prefix (pointBudget.ts); the page's buffers keep the cloud's order (picking, colours).
    const order = cloud.drawOrder?.order;
    const positions = order ? gatherRows(cloud.positions, order, 3, new Float32Array(cloud.count * 3)) : cloud.positions;
    g.setAttribute('position', new THREE.BufferAttribute(positions, 3));
    // Normalised uint8 colours: 3 bytes per point on the GPU instead of 12.
    g.setAttribute(
      'color',
      new THREE.BufferAttribute(order ? gatherRows(cloud.colors, order, 3, new Uint8Array(cloud.count * 3)) : new Uint8Array(cloud.colors), 3, true),
    );
    g.computeBoundingSphere();
    return g;
    // sceneVersion is the only input: drawBuffers.cloud changes exactly when it moves.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sceneVersion]);
  const material = useMemo(() => createPointMaterial(), []);

  useLayoutEffect(() => () => geometry.dispose(), [geometry]);
  useLayoutEffect(() => () => material.dispose(), [material]);

  const budget = useMemo(() => new PointBudget(invalidate), [invalidate]);
  useLayoutEffect(() => () => budget.dispose(), [budget]);
  const pointBudget = view.pointBudget;
  const onBeforeRender = useCallback(
    (_renderer: THREE.WebGLRenderer, _scene: THREE.Scene, camera: THREE.Camera) =>
      budget.apply(geometry, camera, drawBuffers.cloud?.drawOrder?.bucketEnds ?? null, pointBudget),
    [budget, geometry, pointBudget],
  );

  // Colours: once per drawKey (and once per new geometry).
  useLayoutEffect(() => {
    const attribute = geometry.getAttribute('color') as THREE.BufferAttribute | undefined;
    const colors = displayColorsFor(useFieldLens.getState());
    if (attribute && colors && colors.length === attribute.array.length) {
      const order = drawBuffers.cloud?.drawOrder?.order;
      if (order) gatherRows(colors, order, 3, attribute.array as Uint8Array);
      else (attribute.array as Uint8Array).set(colors);
      attribute.needsUpdate = true;
    }
  }, [geometry, colorsKey]);

  useLayoutEffect(() => {
    applyPointUniforms(material.uniforms, view, pixelRatio, canvasHeight * pixelRatio);
    onUploaded(wholeKey);
    invalidate();
  }, [geometry, colorsKey, wholeKey, material, view, pixelRatio, canvasHeight, onUploaded, invalidate]);

  useDoubleClickPick(onPickPoint);

  return (
    <>
      <points geometry={geometry} material={material} visible={!hidden} frustumCulled={false} onBeforeRender={onBeforeRender} />
      <SimilarityMarker />
    </>
  );
}

/** Double-click a point: similarity of every point's feature to its feature (SparseDFF view). One pick, one worker call. */
function useDoubleClickPick(onPickPoint: (pointIndex: number) => void): void {
  const canvas = useThree((s) => s.gl.domElement);
  const get = useThree((s) => s.get);
  useEffect(() => {
    const onDoubleClick = (event: MouseEvent) => {
      const cloud = drawBuffers.cloud;
      if (!cloud) return;
      const picked = pickAtCursor(cloud.positions, cloud.count, event, canvas, get);
      if (picked) onPickPoint(picked.index);
    };
    canvas.addEventListener('dblclick', onDoubleClick);
    return () => canvas.removeEventListener('dblclick', onDoubleClick);
  }, [canvas, get, onPickPoint]);
}
