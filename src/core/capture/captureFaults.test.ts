/**
 * Bad captures are refused with the project's FormatError naming the file, what was expected and
 * what was found (never a plain Error from deep in the lifter), or load with a visible warning.
 */
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../testing/fixtureEncoders.ts';
import { FormatError } from '../formats/formatError.ts';
import { asMetres } from '../units.ts';
import type { CaptureFile } from './captureFiles.ts';
import { checkPointBudget, loadCapture, MAX_SCENE_POINTS, type LoadProgressReport } from './loadCapture.ts';
import { DEFAULT_CAPTURE_SETTINGS } from './captureSettings.ts';

const load = (files: CaptureFile[]) => loadCapture(files, DEFAULT_CAPTURE_SETTINGS);

/** A 3×3 K for a W×H image, as intrinsic.npy holds it. */
const intrinsicNpy = (width: number, height: number) => encodeNpy(new Float64Array([100, 0, (width - 1) / 2, 0, 100, (height - 1) / 2, 0, 0, 1]), [3, 3]);
const depthNpy = (width: number, height: number, metres: number) => encodeNpy(new Float32Array(width * height).fill(metres), [height, width]);
const colourNpy = (width: number, height: number) => encodeNpy(new Uint8Array(width * height * 3).fill(200), [height, width, 3]);

/** Two cameras (cam0 with the given colour size, cam1 consistent) and a multical calibration, identity extrinsics. */
function rig(colourWidth: number, colourHeight: number): CaptureFile[] {
  const identity = {
    R: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    T: [0, 0, 0],
  };
  const camera = {
    model: 'standard',
    image_size: [8, 6],
    K: [
      [100, 0, 3.5],
      [0, 100, 2.5],
      [0, 0, 1],
    ],
    dist: [[0, 0, 0, 0, 0]],
  };
  const calibration = { cameras: { cam0: camera, cam1: camera }, camera_poses: { cam0: identity, cam1_to_cam0: identity } };
  return [
    { name: 'rig/cam0/depth.npy', bytes: depthNpy(8, 6, 1.5) },
    { name: 'rig/cam0/colors.npy', bytes: colourNpy(colourWidth, colourHeight) },
    { name: 'rig/cam0/intrinsic.npy', bytes: intrinsicNpy(8, 6) },
    { name: 'rig/cam1/depth.npy', bytes: depthNpy(8, 6, 2) },
    { name: 'rig/cam1/colors.npy', bytes: colourNpy(8, 6) },
    { name: 'rig/cam1/intrinsic.npy', bytes: intrinsicNpy(8, 6) },
    { name: 'rig/calibration.json', bytes: new TextEncoder().encode(JSON.stringify(calibration)) },
  ];
}

describe('colour and depth of different aspect', () => {
  it('a rig camera whose colours.npy has another aspect than its depth is a FormatError naming the file and both sizes', () => {
    const loadRig = () => load(rig(8, 8));
    expect(loadRig).toThrow(FormatError);
    expect(loadRig).toThrow(/^cam0\/colors\.npy: colour is 8×8 but depth cam0\/depth\.npy is 8×6 \(different aspect ratios/);
  });

  it('a proportionally smaller colour image loads, resampled, and says so', () => {
    const loaded = load(rig(4, 3));
    expect(loaded.cloud.count).toBe(96);
    expect(loaded.capture.warnings).toContain('cam0/colors.npy: colour 4×3 resampled onto the 8×6 depth grid');
  });

  it('the same colour size as depth loads without a resampling warning', () => {
    const loaded = load(rig(8, 6));
    expect(loaded.capture.warnings.filter((w) => w.includes('resampled'))).toEqual([]);
  });
});

describe('the point budget', () => {
  it('a scene over the budget is a FormatError with both figures and the way out; at the budget it passes', () => {
    expect(() => checkPointBudget(MAX_SCENE_POINTS + 1)).toThrow(FormatError);
    expect(() => checkPointBudget(MAX_SCENE_POINTS + 1)).toThrow(
      /^the capture lifts to 30,000,001 points; FieldLens holds at most 30,000,000 in a browser tab .* set a voxel size/,
    );
    expect(() => checkPointBudget(MAX_SCENE_POINTS)).not.toThrow();
    expect(() => checkPointBudget(96, 95)).toThrow(/lifts to 96 points; FieldLens holds at most 95/);
  });

  /** Loads the 96-pixel rig under the given limits, recording the stages it reached. */
  function loadRigWithin(limits: { maxScenePoints: number; maxLiftedPoints: number }, settings: Partial<typeof DEFAULT_CAPTURE_SETTINGS> = {}) {
    const stages: string[] = [];
    const run = () => loadCapture(rig(8, 6), { ...DEFAULT_CAPTURE_SETTINGS, ...settings }, (p: LoadProgressReport) => stages.push(p.stage), undefined, limits);
    return { run, stages };
  }

  it('a capture whose valid depth pixels exceed the budget is refused before any view is lifted', () => {
    const { run, stages } = loadRigWithin({ maxScenePoints: 95, maxLiftedPoints: 1000 });
    expect(run).toThrow(FormatError);
    expect(run).toThrow(/lifts to 96 points; FieldLens holds at most 95/);
    expect(stages.filter((s) => s.startsWith('Lifting'))).toEqual([]);
  });

  it('the count before lifting honours the depth range: only the pixels that become points count', () => {
    // cam0 is at 1.5 m, cam1 at 2 m: a range ending at 1.6 m keeps cam0's 48 pixels.
    expect(loadRigWithin({ maxScenePoints: 48, maxLiftedPoints: 1000 }, { maxDepth: asMetres(1.6) }).run().cloud.count).toBe(48);
    expect(loadRigWithin({ maxScenePoints: 47, maxLiftedPoints: 1000 }, { maxDepth: asMetres(1.6) }).run).toThrow(
      /lifts to 48 points; FieldLens holds at most 47/,
    );
  });

  it('with a voxel size the lifted cloud may exceed the scene budget up to the lifting limit, and no further', () => {
    // 8×6 pixels at f = 100 px span a few centimetres: a 0.5 m voxel merges each camera's pixels into one or two points.
    const merged = loadRigWithin({ maxScenePoints: 10, maxLiftedPoints: 96 }, { voxelSize: asMetres(0.5) }).run();
    expect(merged.counts.lifted).toBe(96);
    expect(merged.cloud.count).toBeLessThanOrEqual(10);
    const { run, stages } = loadRigWithin({ maxScenePoints: 10, maxLiftedPoints: 95 }, { voxelSize: asMetres(0.5) });
    expect(run).toThrow(/^the capture has 96 points to lift; FieldLens lifts at most 95 at once, even with a voxel size/);
    expect(stages.filter((s) => s.startsWith('Lifting'))).toEqual([]);
  });
});
