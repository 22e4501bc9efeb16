/**
 * Draws drawBuffers.cloud as GL points. Geometry is rebuilt only when sceneVersion moves; colours
 * are rewritten only when queryVersion or colorMode moves — never per frame.
 */
import { useInvalidate } from './useInvalidate.ts';
import { useLayoutEffect, useMemo } from 'react';
import * as THREE from 'three';
import { writeDisplayColors } from './displayColors.ts';
import { drawBuffers } from '../app/store/drawBuffers.ts';
import { useFieldLens } from '../app/store/store.ts';
import { showSimilarityTo } from '../app/store/actions.ts';

export interface PointCloudPointsProps {
  /** Called after the GPU buffers hold the state identified by `drawKey`. */
  readonly onUploaded: (drawKey: string) => void;
}

export function PointCloudPoints({ onUploaded }: PointCloudPointsProps) {
  const sceneVersion = useFieldLens((s) => s.sceneVersion);
  const queryVersion = useFieldLens((s) => s.queryVersion);
  const colorMode = useFieldLens((s) => s.colorMode);
  const activeLayer = useFieldLens((s) => s.activeLayer);
  const layerRange = useFieldLens((s) => s.layerInfo[s.activeLayer] ?? null);
  const similarityRange = useFieldLens((s) => s.similarityRange);
  const invalidate = useInvalidate();

  const geometry = useMemo(() => {
    const cloud = drawBuffers.cloud;
    const g = new THREE.BufferGeometry();
    if (!cloud) return g;
    g.setAttribute('position', new THREE.BufferAttribute(cloud.positions, 3));
    // Normalised uint8 colours: 3 bytes per point on the GPU instead of 12.
    g.setAttribute('color', new THREE.BufferAttribute(new Uint8Array(cloud.colors), 3, true));
    g.computeBoundingSphere();
    return g;
    // sceneVersion is the only input: drawBuffers.cloud changes exactly when it moves.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sceneVersion]);

  useLayoutEffect(() => () => geometry.dispose(), [geometry]);

  useLayoutEffect(() => {
    const cloud = drawBuffers.cloud;
    const attribute = geometry.getAttribute('color') as THREE.BufferAttribute | undefined;
    if (cloud && attribute) {
      writeDisplayColors(cloud, drawBuffers, { mode: colorMode, activeLayer, layerRange, similarityRange }, attribute.array as Uint8Array);
      attribute.needsUpdate = true;
    }
    onUploaded(`${sceneVersion}:${queryVersion}:${colorMode}:${activeLayer}`);
    invalidate();
  }, [geometry, sceneVersion, queryVersion, colorMode, activeLayer, layerRange, similarityRange, onUploaded, invalidate]);

  return (
    <points
      geometry={geometry}
      frustumCulled={false}
      onDoubleClick={(e) => {
        // Double-click a point: similarity of every point's feature to its feature (SparseDFF view).
        if (e.index !== undefined) void showSimilarityTo(e.index);
      }}
    >
      <pointsMaterial vertexColors size={2.5} sizeAttenuation={false} />
    </points>
  );
}
