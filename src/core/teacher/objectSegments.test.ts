import { describe, expect, it } from 'vitest';
import { liftViews } from '../capture/loadCapture.ts';
import type { RgbdView } from '../units.ts';
import { makeDemoRig } from '../synth/demoRig.ts';
import { renderRgbdView } from '../synth/renderRgbdView.ts';
import { makeTabletopScene } from '../synth/tabletopScene.ts';
import { segmentScene } from './objectSegments.ts';
import { DEFAULT_CAPTURE_SETTINGS } from '../capture/captureSettings.ts';

/** A generated tabletop (not the demo's seed) from the demo rig, lifted, with each point's true instance. */
function generatedScene(seed: number) {
  const scene = makeTabletopScene(seed);
  const rendered = makeDemoRig().map((camera) => ({ camera, image: renderRgbdView(scene, camera) }));
  const views: RgbdView[] = rendered.map(({ camera, image }, i) => ({
    name: `view${i}`,
    depth: { width: image.width, height: image.height, metres: Float32Array.from(image.depthMillimetres, (mm) => mm / 1000) },
    color: { width: image.width, height: image.height, rgb: image.color },
    intrinsics: camera.intrinsics,
    cameraToWorld: camera.cameraToWorld,
  }));
  const cloud = liftViews(views, DEFAULT_CAPTURE_SETTINGS);
  const truth = Int32Array.from({ length: cloud.count }, (_, i) => rendered[cloud.viewIndex[i]!]!.image.instance[cloud.pixelIndex[i]!]!);
  return { scene, cloud, truth };
}

describe('plane + object segmentation on a generated tabletop', () => {
  it('recovers every object of the generator (IoU against its instance masks ≥ 0.8)', () => {
    const { scene, cloud, truth } = generatedScene(11);
    const { segments, segmentOfPoint } = segmentScene(cloud.positions.subarray(0, cloud.count * 3));
    expect(segments.filter((s) => s.kind === 'plane')).toHaveLength(2);
    const report: string[] = [];
    for (const object of scene.objects.filter((o) => o.instanceId >= 1 && o.instanceId <= 5)) {
      let best = 0;
      for (const segment of segments) {
        let intersection = 0;
        let union = 0;
        for (let i = 0; i < cloud.count; i++) {
          const a = truth[i] === object.instanceId;
          const b = segmentOfPoint[i] === segment.id;
          if (a && b) intersection++;
          if (a || b) union++;
        }
        best = Math.max(best, intersection / union);
      }
      report.push(`${object.name}: IoU ${best.toFixed(3)}`);
      expect(best, object.name).toBeGreaterThanOrEqual(0.8);
    }
    console.log(`teacher segmentation, seed 11: ${report.join(', ')}`);
  });
});
