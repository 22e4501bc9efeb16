import { describe, expect, it } from 'vitest';
import type { Shape } from './primitives.ts';
import { makeTabletopScene, placeTabletopObjects, TABLE_TOP_HEIGHT_METRES, TABLE_TOP_SIZE_X_METRES, TABLE_TOP_SIZE_Y_METRES } from './tabletopScene.ts';

function lowestZ(shape: Shape): number {
  switch (shape.kind) {
    case 'plane':
      return shape.pointOnPlane.z;
    case 'box':
      return shape.centre.z - shape.halfExtentsMetres.z;
    case 'sphere':
      return shape.centre.z - shape.radiusMetres;
    case 'cylinder':
      return shape.baseCentre.z;
  }
}

describe('makeTabletopScene', () => {
  it('has the floor (0), five coloured objects (1..5) and the table (6)', () => {
    const scene = makeTabletopScene(7);
    expect(scene.objects.map(({ instanceId, name, colourName }) => ({ instanceId, name, colourName }))).toEqual([
      { instanceId: 0, name: 'floor', colourName: 'grey' },
      { instanceId: 1, name: 'red mug', colourName: 'red' },
      { instanceId: 2, name: 'yellow dice', colourName: 'yellow' },
      { instanceId: 3, name: 'blue ball', colourName: 'blue' },
      { instanceId: 4, name: 'green box', colourName: 'green' },
      { instanceId: 5, name: 'white plate', colourName: 'white' },
      { instanceId: 6, name: 'wooden table', colourName: 'brown' },
    ]);
  });

  it('is a pure function of the seed', () => {
    expect(makeTabletopScene(7)).toEqual(makeTabletopScene(7));
    expect(makeTabletopScene(7)).not.toEqual(makeTabletopScene(8));
  });

  it('rests every tabletop object on the table top', () => {
    const scene = makeTabletopScene(7);
    for (const object of scene.objects.filter(({ instanceId }) => instanceId >= 1 && instanceId <= 5)) {
      const bottom = Math.min(...object.parts.map((part) => lowestZ(part.shape)));
      expect(bottom, object.name).toBeCloseTo(TABLE_TOP_HEIGHT_METRES, 9);
    }
  });

  it('never overlaps objects nor lets them hang over the table edge, for many seeds', () => {
    for (let seed = 0; seed < 300; seed++) {
      const placements = placeTabletopObjects(seed);
      for (const [index, placement] of placements.entries()) {
        expect(Math.abs(placement.centreX) + placement.footprintRadiusMetres).toBeLessThan(TABLE_TOP_SIZE_X_METRES / 2);
        expect(Math.abs(placement.centreY) + placement.footprintRadiusMetres).toBeLessThan(TABLE_TOP_SIZE_Y_METRES / 2);
        for (const other of placements.slice(index + 1)) {
          const gap =
            Math.hypot(placement.centreX - other.centreX, placement.centreY - other.centreY) - placement.footprintRadiusMetres - other.footprintRadiusMetres;
          expect(gap, `seed ${seed}: objects ${placement.instanceId} and ${other.instanceId}`).toBeGreaterThan(0);
        }
      }
    }
  });

  it('jitters placements with the seed', () => {
    const distinctMugPlaces = new Set(Array.from({ length: 20 }, (_, seed) => placeTabletopObjects(seed)[0]?.centreX));
    expect(distinctMugPlaces.size).toBeGreaterThan(15);
  });
});
