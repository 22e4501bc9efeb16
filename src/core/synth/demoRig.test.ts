import { describe, expect, it } from 'vitest';
import { makeDemoRig } from './demoRig.ts';
import { renderRgbdView } from './renderRgbdView.ts';
import { makeTabletopScene, TABLE_TOP_CENTRE, TABLE_TOP_HEIGHT_METRES } from './tabletopScene.ts';

const OBJECT_IDS_ON_TABLE = [1, 2, 3, 4, 5] as const;

describe('makeDemoRig', () => {
  const rig = makeDemoRig();

  it('has four 320×240 cameras with fx = fy = 280 and the principal point at the image centre', () => {
    expect(rig).toHaveLength(4);
    for (const camera of rig) {
      expect(camera.intrinsics).toEqual({ width: 320, height: 240, fx: 280, fy: 280, cx: 159.5, cy: 119.5 });
    }
  });

  it('builds right-handed OpenCV poses that look at the table-top centre, image y pointing down', () => {
    for (const camera of rig) {
      const m = (row: number, column: number): number => camera.cameraToWorld[row * 4 + column] ?? Number.NaN;
      const axis = (column: number): number[] => [m(0, column), m(1, column), m(2, column)];
      const dot = (a: number[], b: number[]): number => a.reduce((sum, x, i) => sum + x * (b[i] ?? Number.NaN), 0);
      const [right, down, forward] = [axis(0), axis(1), axis(2)];
      expect(dot(right, right)).toBeCloseTo(1, 8);
      expect(dot(down, down)).toBeCloseTo(1, 8);
      expect(dot(forward, forward)).toBeCloseTo(1, 8);
      expect(dot(right, down)).toBeCloseTo(0, 8);
      expect(dot(right, forward)).toBeCloseTo(0, 8);
      expect(dot(down, forward)).toBeCloseTo(0, 8);
      // det R = right · (down × forward) = +1.
      const downCrossForward = [
        (down[1] ?? 0) * (forward[2] ?? 0) - (down[2] ?? 0) * (forward[1] ?? 0),
        (down[2] ?? 0) * (forward[0] ?? 0) - (down[0] ?? 0) * (forward[2] ?? 0),
        (down[0] ?? 0) * (forward[1] ?? 0) - (down[1] ?? 0) * (forward[0] ?? 0),
      ];
      expect(dot(right, downCrossForward)).toBeCloseTo(1, 8);
      expect(right[2]).toBeCloseTo(0, 9); // no roll: image rows are level
      expect(down[2]).toBeLessThan(0); // image y goes down in the world
      expect(m(3, 0)).toBe(0);
      expect(m(3, 3)).toBe(1);

      // The table-top centre projects to the principal point.
      const eye = [m(0, 3), m(1, 3), m(2, 3)];
      const toTarget = [TABLE_TOP_CENTRE.x - (eye[0] ?? 0), TABLE_TOP_CENTRE.y - (eye[1] ?? 0), TABLE_TOP_CENTRE.z - (eye[2] ?? 0)];
      const cameraPoint = [dot(right, toTarget), dot(down, toTarget), dot(forward, toTarget)];
      const { fx, fy, cx, cy } = camera.intrinsics;
      expect(fx * ((cameraPoint[0] ?? 0) / (cameraPoint[2] ?? 1)) + cx).toBeCloseTo(cx, 5);
      expect(fy * ((cameraPoint[1] ?? 0) / (cameraPoint[2] ?? 1)) + cy).toBeCloseTo(cy, 5);

      const horizontalDistance = Math.hypot((eye[0] ?? 0) - TABLE_TOP_CENTRE.x, (eye[1] ?? 0) - TABLE_TOP_CENTRE.y);
      expect(horizontalDistance).toBeGreaterThanOrEqual(1.1);
      expect(horizontalDistance).toBeLessThanOrEqual(1.3);
      expect((eye[2] ?? 0) - TABLE_TOP_HEIGHT_METRES).toBeCloseTo(0.5, 1);
    }
  });

  it('lets every camera see every object, whole in the frame and mostly unoccluded', () => {
    const scene = makeTabletopScene(7);
    for (const [viewIndex, camera] of rig.entries()) {
      const view = renderRgbdView(scene, camera);
      const { width, height } = camera.intrinsics;
      for (const id of [...OBJECT_IDS_ON_TABLE, 6]) {
        const pixelCount = view.instance.reduce((count, pixelId) => count + (pixelId === id ? 1 : 0), 0);
        expect(pixelCount, `view ${viewIndex}, instance ${id}`).toBeGreaterThanOrEqual(100);
      }
      for (const id of OBJECT_IDS_ON_TABLE) {
        // Compare with the object alone on the table: occlusion by other objects must hide less than half.
        const objectsAlone = scene.objects.filter((object) => [0, 6, id].includes(object.instanceId));
        const alone = renderRgbdView({ ...scene, objects: objectsAlone }, camera);
        let visible = 0;
        let unoccluded = 0;
        for (let pixel = 0; pixel < width * height; pixel++) {
          if (view.instance[pixel] === id) visible++;
          if (alone.instance[pixel] === id) unoccluded++;
          const onBorder = pixel % width === 0 || pixel % width === width - 1 || pixel < width || pixel >= width * (height - 1);
          if (onBorder) expect(alone.instance[pixel], `view ${viewIndex}: instance ${id} touches the image border`).not.toBe(id);
        }
        expect(visible / unoccluded, `view ${viewIndex}, instance ${id}`).toBeGreaterThan(0.5);
      }
    }
  });

  it('renders each object clearly in its named colour', () => {
    const scene = makeTabletopScene(7);
    const looksLike: Record<string, (r: number, g: number, b: number) => boolean> = {
      red: (r, g, b) => r > g + 60 && r > b + 60,
      yellow: (r, g, b) => r > b + 80 && g > b + 60 && Math.abs(r - g) < 60,
      blue: (r, g, b) => b > r + 60 && b > g + 40,
      green: (r, g, b) => g > r + 50 && g > b + 40,
      white: (r, g, b) => Math.min(r, g, b) > 150 && Math.max(r, g, b) - Math.min(r, g, b) < 30,
      brown: (r, g, b) => r > g + 20 && g > b + 15 && r < 200,
    };
    for (const [viewIndex, camera] of rig.entries()) {
      const view = renderRgbdView(scene, camera);
      for (const object of scene.objects.filter((o) => o.instanceId !== 0)) {
        const sums = [0, 0, 0];
        let count = 0;
        view.instance.forEach((id, pixel) => {
          if (id !== object.instanceId) return;
          for (let channel = 0; channel < 3; channel++) {
            sums[channel] = (sums[channel] ?? 0) + (view.color[pixel * 3 + channel] ?? 0);
          }
          count++;
        });
        const [r, g, b] = sums.map((sum) => sum / count) as [number, number, number];
        const test = looksLike[object.colourName];
        const meanColour = `(${r.toFixed(0)}, ${g.toFixed(0)}, ${b.toFixed(0)})`;
        expect(test?.(r, g, b), `view ${viewIndex}: ${object.name} mean colour ${meanColour}`).toBe(true);
      }
    }
  });
});
