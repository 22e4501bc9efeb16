import { describe, expect, it } from 'vitest';
import { backProjectDepth } from '../lift/backProjectDepth.ts';
import { concatPointClouds } from '../lift/pointCloud.ts';
import { makeDemoRig } from '../synth/demoRig.ts';
import { renderRgbdView } from '../synth/renderRgbdView.ts';
import { makeTabletopScene } from '../synth/tabletopScene.ts';
import { asDepthScale } from '../units.ts';
import { renderSplats } from './splatRender.ts';

// Reference: the ray-traced demo view (independent of the splatter). The cloud is lifted from all
// four demo views, then splatted back into camera 0.
describe('renderSplats on the demo scene', () => {
  it('reproduces an input camera colour and depth within bounds', () => {
    const scene = makeTabletopScene(7);
    const rig = makeDemoRig();
    const views = rig.map((cam) => renderRgbdView(scene, cam));
    const cloud = concatPointClouds(
      views.map((v, i) =>
        backProjectDepth(
          { width: v.width, height: v.height, units: v.depthMillimetres },
          {
            intrinsics: rig[i]!.intrinsics,
            depthScale: asDepthScale(1000),
            cameraToWorld: rig[i]!.cameraToWorld,
            color: { width: v.width, height: v.height, rgb: v.color },
            viewIndex: i,
          },
        ),
      ),
    );
    const ref = views[0]!;
    const out = renderSplats(cloud, { ...rig[0]!, pointSpacingMetres: 0 });
    let valid = 0,
      covered = 0,
      colourSum = 0;
    const depthErrMm: number[] = [];
    for (let k = 0; k < ref.width * ref.height; k++) {
      if (ref.depthMillimetres[k] === 0) continue;
      valid++;
      if (out.depthMetres[k]! <= 0) continue;
      covered++;
      for (let c = 0; c < 3; c++) colourSum += Math.abs(out.rgb[3 * k + c]! - ref.color[3 * k + c]!);
      depthErrMm.push(Math.abs(out.depthMetres[k]! * 1000 - ref.depthMillimetres[k]!));
    }
    depthErrMm.sort((a, b) => a - b);
    const coverage = covered / valid;
    const mad = colourSum / (3 * covered);
    const medianMm = depthErrMm[depthErrMm.length >> 1]!;
    console.log(`demo render cam0: coverage ${(coverage * 100).toFixed(2)} %, colour MAD ${mad.toFixed(2)}/255, depth median ${medianMm.toFixed(2)} mm`);
    expect(coverage).toBeGreaterThanOrEqual(0.95);
    expect(mad).toBeLessThanOrEqual(8);
    expect(medianMm).toBeLessThanOrEqual(5);
  });

  it('keeps the front-most point (depth test) and carries features and scalars', () => {
    const intrinsics = { width: 4, height: 4, fx: 4, fy: 4, cx: 1.5, cy: 1.5 };
    const pose = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] as never;
    const cloud = {
      count: 2,
      positions: new Float32Array([0, 0, 2, 0, 0, 1]),
      colors: new Uint8Array([255, 0, 0, 0, 255, 0]),
      features: new Float32Array([1, 0, 0, 1]),
      featureDim: 2,
      scalars: new Float32Array([0.25, 0.75]),
    };
    const out = renderSplats(cloud, { intrinsics, cameraToWorld: pose, fillHoles: false });
    const k = 2 * 4 + 2; // u = 4·0/z + 1.5 → pixel 2 (1.5 rounds up; centres at integers)
    expect(out.pointIndex[k]).toBe(1);
    expect(out.depthMetres[k]).toBeCloseTo(1, 6);
    expect([...out.rgb.subarray(3 * k, 3 * k + 3)]).toEqual([0, 255, 0]);
    expect([...out.features!.subarray(2 * k, 2 * k + 2)]).toEqual([0, 1]);
    expect(out.scalars![k]).toBeCloseTo(0.75, 6);
    expect(out.pointIndex.filter((i) => i >= 0).length).toBe(1);
  });

  it('blends the splats within the depth tolerance of the front-most one (depth and colour means)', () => {
    const intrinsics = { width: 4, height: 4, fx: 4, fy: 4, cx: 1.5, cy: 1.5 };
    const pose = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] as never;
    // Three points on one pixel: 1.00 m red, 1.01 m blue, 1.50 m green (behind, never blended at 2 %).
    const cloud = { count: 3, positions: new Float32Array([0, 0, 1, 0, 0, 1.01, 0, 0, 1.5]), colors: new Uint8Array([200, 0, 0, 0, 0, 100, 0, 255, 0]) };
    const k = 2 * 4 + 2;
    const blended = renderSplats(cloud, { intrinsics, cameraToWorld: pose, fillHoles: false, blendRelative: 0.02 });
    expect(blended.depthMetres[k]).toBeCloseTo(1.005, 5);
    expect([...blended.rgb.subarray(3 * k, 3 * k + 3)]).toEqual([100, 0, 50]);
    expect(blended.pointIndex[k]).toBe(0);
    const tight = renderSplats(cloud, { intrinsics, cameraToWorld: pose, fillHoles: false, blendRelative: 0.005 });
    expect(tight.depthMetres[k]).toBeCloseTo(1, 6);
    expect([...tight.rgb.subarray(3 * k, 3 * k + 3)]).toEqual([200, 0, 0]);
  });
});
