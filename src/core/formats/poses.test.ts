import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNerfstudioTransforms } from './nerfstudio.ts';
import {
  InvalidPoseError,
  invertRigid,
  multiply4,
  openGlToOpenCv,
  parseOpen3dTrajectoryLog,
  parseScanNetPose,
  parseTumGroundTruth,
  quaternionToPose,
} from './poses.ts';
import { parseSparseDffCalibration } from './rigCalibration.ts';
import { requireRealData } from '../../testing/realData.ts';

const S = Math.SQRT1_2;

function expectMatrixClose(actual: readonly number[], expected: readonly number[], digits = 9): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v, `entry ${i}`).toBeCloseTo(expected[i]!, digits));
}

/** Independent orthonormality / determinant check on a row-major 4×4's rotation. */
function expectRotation(m: readonly number[]): void {
  const col = (c: number) => [m[c]!, m[4 + c]!, m[8 + c]!];
  const dot = (a: number[], b: number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(dot(col(i), col(j))).toBeCloseTo(i === j ? 1 : 0, 6);
  const [a, b, c] = [col(0), col(1), col(2)];
  const cross = [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
  expect(dot(cross, c)).toBeCloseTo(1, 6);
  expectMatrixClose(m.slice(12), [0, 0, 0, 1]);
}

const translation = (m: readonly number[]) => [m[3]!, m[7]!, m[11]!];

describe('quaternionToPose (x y z w)', () => {
  it('gives the identity for (0, 0, 0, 1)', () => {
    expectMatrixClose(quaternionToPose(0, 0, 0, 1, 1, 2, 3, 't'), [1, 0, 0, 1, 0, 1, 0, 2, 0, 0, 1, 3, 0, 0, 0, 1]);
  });

  it('gives 90° about z for (0, 0, sin 45°, cos 45°): x → y, y → −x', () => {
    expectMatrixClose(quaternionToPose(0, 0, S, S, 0, 0, 0, 't'), [0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  });

  it('gives 180° about x for (1, 0, 0, 0): diag(1, −1, −1)', () => {
    expectMatrixClose(quaternionToPose(1, 0, 0, 0, 0, 0, 0, 't'), [1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1]);
  });

  it('gives the cyclic permutation x → y → z → x for 120° about (1, 1, 1): (½, ½, ½, ½)', () => {
    expectMatrixClose(quaternionToPose(0.5, 0.5, 0.5, 0.5, 0, 0, 0, 't'), [0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
  });

  it('normalises: (0, 0, 2, 2) is the same 90° about z', () => {
    expectMatrixClose(quaternionToPose(0, 0, 2, 2, 0, 0, 0, 't'), [0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  });

  it('refuses a zero quaternion', () => {
    expect(() => quaternionToPose(0, 0, 0, 0, 0, 0, 0, 'gt.txt: line 3')).toThrow(/gt\.txt: line 3: quaternion \(0, 0, 0, 0\) has zero or non-finite length/);
  });
});

describe('parseTumGroundTruth', () => {
  it('reads "t tx ty tz qx qy qz qw" with the quaternion x y z w, sorted by time, skipping comments', () => {
    const text = [
      '# ground truth trajectory',
      '# timestamp tx ty tz qx qy qz qw',
      '1305031102.2000 1 2 3 0 0 0.7071068 0.7071068',
      '',
      '1305031102.1000 0.5 0 0 0 0 0 1',
    ].join('\n');
    const gt = parseTumGroundTruth(text, 'groundtruth.txt');
    expect(gt.map((g) => g.timestamp)).toEqual([1305031102.1, 1305031102.2]);
    expectMatrixClose(gt[0]!.cameraToWorld, [1, 0, 0, 0.5, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    // Read as w x y z this would be a different rotation; x y z w gives 90° about z.
    expectMatrixClose(gt[1]!.cameraToWorld, [0, -1, 0, 1, 1, 0, 0, 2, 0, 0, 1, 3, 0, 0, 0, 1], 6);
  });

  it('names the line of a malformed entry', () => {
    expect(() => parseTumGroundTruth('# c\n1.0 1 2 3 0 0 0\n', 'groundtruth.txt')).toThrow(
      /groundtruth\.txt: line 2: expected "timestamp tx ty tz qx qy qz qw" \(8 numbers\), found "1\.0 1 2 3 0 0 0"/,
    );
    expect(() => parseTumGroundTruth('# only comments\n', 'groundtruth.txt')).toThrow(/groundtruth\.txt: no poses/);
    expect(() => parseTumGroundTruth('1 0 0 0 0 0 0 0\n', 'gt.txt')).toThrow(/gt\.txt: line 1: quaternion/);
  });
});

describe('openGlToOpenCv', () => {
  it('negates the camera y and z axes (columns 1 and 2), keeping the position', () => {
    // A GL camera at (1, 2, 3) with identity rotation looks down world −z with world +y up.
    const cv = openGlToOpenCv([1, 0, 0, 1, 0, 1, 0, 2, 0, 0, 1, 3, 0, 0, 0, 1]);
    expect(cv).toEqual([1, 0, 0, 1, 0, -1, 0, 2, 0, 0, -1, 3, 0, 0, 0, 1]);
    // OpenCV forward (+z column) is world −z, OpenCV down (+y column) is world −y: same camera.
  });

  it('is the right-multiplication by diag(1, −1, −1, 1)', () => {
    const m = quaternionToPose(0.1, 0.7, -0.2, 0.6, 4, 5, 6, 't');
    expectMatrixClose(openGlToOpenCv(m), multiply4(m, [1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1]));
  });
});

describe('parseOpen3dTrajectoryLog', () => {
  const block = (header: string, m: number[]) => `${header}\n${[0, 1, 2, 3].map((r) => m.slice(r * 4, r * 4 + 4).join(' ')).join('\n')}\n`;
  const I = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

  it('reads blocks of "i i i+1" + 4 rows; frame = third number − 1', () => {
    const moved = [1, 0, 0, 0.5, 0, 1, 0, -0.25, 0, 0, 1, 2, 0, 0, 0, 1];
    const log = parseOpen3dTrajectoryLog(block('0 0 1', I) + '\n' + block('1\t1\t2', moved), 'trajectory.log');
    expect(log.map((e) => e.frame)).toEqual([0, 1]);
    expect(log[1]!.metadata).toEqual([1, 1, 2]);
    expect([...log[1]!.cameraToWorld]).toEqual(moved);
  });

  it('takes third numbers that start at 0 as 0-based', () => {
    const log = parseOpen3dTrajectoryLog(block('0 0 0', I) + block('1 1 1', I), 't.log');
    expect(log.map((e) => e.frame)).toEqual([0, 1]);
  });

  it('names the line of a malformed header or row', () => {
    expect(() => parseOpen3dTrajectoryLog(block('0 0', I).replace('0 0\n', '0 0 x\n'), 't.log')).toThrow(
      /t\.log: line 1: expected a block header of 3 integers/,
    );
    expect(() => parseOpen3dTrajectoryLog(block('0 0 1', I).replace('0 1 0 0', '0 1 0'), 't.log')).toThrow(
      /t\.log: line 3: expected row 2 of the 4×4 pose after header line 1 \(4 numbers\), found "0 1 0"/,
    );
    expect(() => parseOpen3dTrajectoryLog('0 0 1\n1 0 0 0\n', 't.log')).toThrow(/t\.log: 2 non-empty lines is not a whole number of 5-line blocks/);
    expect(() => parseOpen3dTrajectoryLog('', 't.log')).toThrow(/t\.log: empty trajectory/);
  });

  it('refuses a scaled rotation', () => {
    expect(() => parseOpen3dTrajectoryLog(block('0 0 1', [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1]), 't.log')).toThrow(
      /t\.log: pose of block "0 0 1" \(line 1\): not a rigid camera pose/,
    );
  });

  it('reads the real Redwood trajectory.log: ≥ 4 proper rigid poses, numbers as written', (ctx) => {
    const path = requireRealData(ctx, 'rgbd/redwood-tum-nyu-sun/trajectory.log');
    const text = readFileSync(path, 'utf8');
    const log = parseOpen3dTrajectoryLog(text, 'trajectory.log');
    expect(log.length).toBeGreaterThanOrEqual(4);
    expect(log.map((e) => e.frame)).toEqual(log.map((_, i) => i));
    for (const entry of log) expectRotation(entry.cameraToWorld);
    // First pose's translation column as written on lines 2–4 of the file.
    const lines = text.trim().split(/\n/);
    const written = [1, 2, 3].map((r) => Number(lines[r]!.trim().split(/\s+/)[3]));
    expect(translation(log[0]!.cameraToWorld)).toEqual(written);
    // Consecutive frames of a hand-held sequence move by centimetres, not metres.
    for (let i = 1; i < log.length; i++) {
      const [a, b] = [translation(log[i - 1]!.cameraToWorld), translation(log[i]!.cameraToWorld)];
      expect(Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!)).toBeLessThan(0.2);
    }
  });
});

describe('parseScanNetPose', () => {
  it('reads a 4×4 camera-to-world', () => {
    const text = '0.9 -0.1 0.4 2.5\n0.4 0.1 -0.9 3.1\n0.05 0.99 0.12 1.4\n0 0 0 1\n';
    // Build an exactly orthonormal pose instead of rounding by hand.
    const m = quaternionToPose(0.3, -0.2, 0.1, 0.9, 2.5, 3.1, 1.4, 't');
    const exact = [0, 1, 2, 3].map((r) => m.slice(r * 4, r * 4 + 4).join(' ')).join('\n');
    expectMatrixClose(parseScanNetPose(exact, 'pose/0.txt'), m, 12);
    expect(() => parseScanNetPose(text, 'pose/1.txt')).toThrow(/pose\/1\.txt: not a rigid camera pose/);
  });

  it('throws InvalidPoseError for the -inf poses ScanNet writes on lost tracking', () => {
    const text = '-inf -inf -inf -inf\n-inf -inf -inf -inf\n-inf -inf -inf -inf\n-inf -inf -inf -inf\n';
    let caught: unknown;
    try {
      parseScanNetPose(text, 'pose/17.txt');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidPoseError);
    expect((caught as Error).message).toMatch(/pose\/17\.txt: invalid pose \(16 of 16 entries are -inf\/inf\/nan/);
    expect(() => parseScanNetPose('nan 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1', 'p.txt')).toThrow(InvalidPoseError);
  });

  it('throws a plain Error (not InvalidPoseError) for a malformed file', () => {
    let caught: unknown;
    try {
      parseScanNetPose('1 0 0\n0 1 0\n0 0 1\n', 'pose/3.txt');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(caught).not.toBeInstanceOf(InvalidPoseError);
    expect((caught as Error).message).toMatch(/pose\/3\.txt: expected a 4×4 camera-to-world matrix as 4 rows of 4 numbers, found 3 non-empty lines/);
  });
});

describe('parseNerfstudioTransforms', () => {
  const glPose = [1, 0, 0, 1, 0, 1, 0, 2, 0, 0, 1, 3, 0, 0, 0, 1];
  const rows = (m: number[]) => [0, 1, 2, 3].map((r) => m.slice(r * 4, r * 4 + 4));

  it('converts OpenGL poses to OpenCV and shifts cx, cy by −½ pixel (corner → centre origin)', () => {
    const json = {
      camera_model: 'OPENCV',
      fl_x: 500,
      fl_y: 502,
      cx: 320,
      cy: 240,
      w: 640,
      h: 480,
      frames: [{ file_path: 'images/frame_00001.jpg', depth_file_path: 'depth/frame_00001.png', transform_matrix: rows(glPose) }],
    };
    const t = parseNerfstudioTransforms(JSON.stringify(json), 'transforms.json');
    expect(t.intrinsics).toEqual({ width: 640, height: 480, fx: 500, fy: 502, cx: 319.5, cy: 239.5 });
    const frame = t.frames[0]!;
    expect(frame.filePath).toBe('images/frame_00001.jpg');
    expect(frame.depthPath).toBe('depth/frame_00001.png');
    expectMatrixClose(frame.cameraToWorld, [1, 0, 0, 1, 0, -1, 0, 2, 0, 0, -1, 3, 0, 0, 0, 1]);
    expect(frame.intrinsics).toEqual(t.intrinsics);
  });

  it('keeps the viewing direction: an OpenGL camera looking at the origin still does', () => {
    // GL camera at (0, 0, 5) looking down −z (identity rotation): OpenCV forward = 3rd column.
    const t = parseNerfstudioTransforms(
      JSON.stringify({ fl_x: 100, w: 64, h: 48, frames: [{ file_path: 'a.png', transform_matrix: rows([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 5, 0, 0, 0, 1]) }] }),
      't.json',
    );
    const m = t.frames[0]!.cameraToWorld;
    const forward = [m[2]!, m[6]!, m[10]!];
    const position = translation(m);
    const toOrigin = position.map((p) => -p / Math.hypot(...position));
    expectMatrixClose(forward, toOrigin);
    expect(t.frames[0]!.depthPath).toBeUndefined();
    // fl_y defaults to fl_x; cx, cy to the image centre (w/2, h/2 corner-origin → (w−1)/2 centre-origin).
    expect(t.frames[0]!.intrinsics).toEqual({ width: 64, height: 48, fx: 100, fy: 100, cx: 31.5, cy: 23.5 });
  });

  it('lets per-frame intrinsics override the global ones and reports distortion', () => {
    const json = {
      fl_x: 500,
      fl_y: 500,
      cx: 320,
      cy: 240,
      w: 640,
      h: 480,
      k1: 0.1,
      k2: 0,
      frames: [
        { file_path: 'a.jpg', transform_matrix: rows(glPose) },
        { file_path: 'b.jpg', fl_x: 250, fl_y: 250, cx: 160, cy: 120, w: 320, h: 240, transform_matrix: rows(glPose).slice(0, 3) },
      ],
    };
    const t = parseNerfstudioTransforms(JSON.stringify(json), 'transforms.json');
    expect(t.frames[0]!.intrinsics.fx).toBe(500);
    expect(t.frames[0]!.distortion).toEqual({ k1: 0.1 });
    expect(t.frames[1]!.intrinsics).toEqual({ width: 320, height: 240, fx: 250, fy: 250, cx: 159.5, cy: 119.5 });
    // A 3×4 transform_matrix is padded with 0 0 0 1.
    expect(t.frames[1]!.cameraToWorld.slice(12)).toEqual([0, 0, 0, 1]);
  });

  it('derives fl_x from camera_angle_x (instant-ngp / Blender)', () => {
    const t = parseNerfstudioTransforms(
      JSON.stringify({ camera_angle_x: Math.PI / 2, w: 800, h: 800, frames: [{ file_path: 'r_0', transform_matrix: rows(glPose) }] }),
      't.json',
    );
    expect(t.frames[0]!.intrinsics.fx).toBeCloseTo(400, 9);
  });

  it('names what is missing or wrong', () => {
    const noSize = { fl_x: 500, frames: [{ file_path: 'a.jpg', transform_matrix: rows(glPose) }] };
    expect(() => parseNerfstudioTransforms(JSON.stringify(noSize), 'transforms.json')).toThrow(
      /transforms\.json: frames\[0\] \(a\.jpg\): missing intrinsics w, h/,
    );
    const badMatrix = {
      fl_x: 500,
      w: 64,
      h: 48,
      frames: [
        {
          file_path: 'a.jpg',
          transform_matrix: [
            [1, 0],
            [0, 1],
          ],
        },
      ],
    };
    expect(() => parseNerfstudioTransforms(JSON.stringify(badMatrix), 'transforms.json')).toThrow(
      /transforms\.json: frames\[0\]: "transform_matrix" must be a 4×4/,
    );
    const fisheye = { camera_model: 'OPENCV_FISHEYE', fl_x: 500, w: 64, h: 48, frames: [] };
    expect(() => parseNerfstudioTransforms(JSON.stringify(fisheye), 'transforms.json')).toThrow(/camera_model "OPENCV_FISHEYE" is not a pinhole model/);
    expect(() => parseNerfstudioTransforms('{"images": []}', 'transforms.json')).toThrow(
      /transforms\.json: expected a nerfstudio transforms\.json object with a "frames" array, found keys images/,
    );
    expect(() => parseNerfstudioTransforms(JSON.stringify({ fl_x: 1, w: 2, h: 2, frames: [{ transform_matrix: rows(glPose) }] }), 't.json')).toThrow(
      /t\.json: frames\[0\]: missing "file_path"/,
    );
  });
});

describe('parseSparseDffCalibration', () => {
  const K = [
    [600, 0, 320],
    [0, 600, 240],
    [0, 0, 1],
  ];
  const camera = { model: 'standard', image_size: [640, 480], K, dist: [[0.1, -0.02, 0, 0, 0.01]] };
  const calibration = (poses: Record<string, { R: number[][]; T: number[] }>, cameras: Record<string, unknown> = { cam0: camera, cam1: camera }) =>
    JSON.stringify({ cameras, camera_poses: poses });
  const I3 = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];

  it('reads "camN_to_cam0" as multical does: X_camN = R·X_cam0 + T, so cameraToWorld = [Rᵀ | −RᵀT]', () => {
    // cam1 sits 0.5 m to the right of cam0 (+x in cam0's frame), same orientation: a point at
    // cam0's origin is at x = −0.5 in cam1's frame, so multical stores T = (−0.5, 0, 0).
    const rig = parseSparseDffCalibration(calibration({ cam0: { R: I3, T: [0, 0, 0] }, cam1_to_cam0: { R: I3, T: [-0.5, 0, 0] } }), 'calibration.json');
    expect(rig.reference).toBe('cam0');
    expectMatrixClose(rig.cameras.cam0!.cameraToWorld, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(translation(rig.cameras.cam1!.cameraToWorld)).toEqual([0.5, 0, 0]);
    expect(rig.cameras.cam1!.intrinsics).toEqual({ width: 640, height: 480, fx: 600, fy: 600, cx: 320, cy: 240 });
    expect(rig.cameras.cam1!.distortion).toEqual([0.1, -0.02, 0, 0, 0.01]);
  });

  it('inverts a rotated extrinsic: world points map back through R, T', () => {
    const R = [
      [0, -1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ]; // 90° about z
    const T = [0.1, -0.2, 0.3];
    const rig = parseSparseDffCalibration(calibration({ cam0: { R: I3, T: [0, 0, 0] }, cam1_to_cam0: { R, T } }), 'calibration.json');
    const worldToCam1 = invertRigid(rig.cameras.cam1!.cameraToWorld);
    expectMatrixClose(worldToCam1, [0, -1, 0, 0.1, 1, 0, 0, -0.2, 0, 0, 1, 0.3, 0, 0, 0, 1]);
  });

  it('can read the other convention on request', () => {
    const rig = parseSparseDffCalibration(calibration({ cam0: { R: I3, T: [0, 0, 0] }, cam1_to_cam0: { R: I3, T: [-0.5, 0, 0] } }), 'c.json', {
      extrinsics: 'camera-to-reference',
    });
    expect(translation(rig.cameras.cam1!.cameraToWorld)).toEqual([-0.5, 0, 0]);
  });

  it('chains relations and takes the reference from the destination when no plain key exists', () => {
    const shift = (x: number) => ({ R: I3, T: [x, 0, 0] });
    const rig = parseSparseDffCalibration(
      calibration({ cam1_to_cam0: shift(-1), cam2_to_cam1: shift(-1) }, { cam0: camera, cam1: camera, cam2: camera }),
      'c.json',
    );
    expect(rig.reference).toBe('cam0');
    expect(translation(rig.cameras.cam2!.cameraToWorld)).toEqual([2, 0, 0]);
  });

  it('uses the image size from the caller when image_size is absent, else says it is missing', () => {
    const noSize = { K, dist: [] };
    const text = calibration({ cam0: { R: I3, T: [0, 0, 0] } }, { cam0: noSize });
    expect(parseSparseDffCalibration(text, 'c.json', { imageSize: { width: 640, height: 480 } }).cameras.cam0!.intrinsics.width).toBe(640);
    expect(() => parseSparseDffCalibration(text, 'c.json')).toThrow(/c\.json: cameras\.cam0: no image size/);
  });

  it('names missing poses, unknown cameras, bad matrices and intrinsics-only files', () => {
    expect(() => parseSparseDffCalibration(calibration({ cam0: { R: I3, T: [0, 0, 0] } }), 'c.json')).toThrow(
      /c\.json: no pose for camera cam1 in "camera_poses" \(found cam0\)/,
    );
    expect(() => parseSparseDffCalibration(calibration({ cam0: { R: I3, T: [0, 0, 0] }, cam9_to_cam0: { R: I3, T: [0, 0, 0] } }), 'c.json')).toThrow(
      /camera_poses\.cam9_to_cam0: names camera "cam9", which is not under "cameras" \(cam0, cam1\)/,
    );
    expect(() =>
      parseSparseDffCalibration(
        calibration({
          cam0: { R: I3, T: [0, 0, 0] },
          cam1_to_cam0: {
            R: [
              [2, 0, 0],
              [0, 2, 0],
              [0, 0, 2],
            ],
            T: [0, 0, 0],
          },
        }),
        'c.json',
      ),
    ).toThrow(/camera_poses\.cam1_to_cam0: not a rigid camera pose/);
    expect(() => parseSparseDffCalibration(calibration({ cam0: { R: I3, T: [0, 0] } }), 'c.json')).toThrow(
      /camera_poses\.cam0: expected "R" as 3 rows of 3 numbers and "T" as 3 numbers/,
    );
    expect(() => parseSparseDffCalibration(JSON.stringify({ cameras: { cam0: camera } }), 'intrinsic.json')).toThrow(
      /intrinsic\.json: no "camera_poses" \(this looks like an intrinsics-only file/,
    );
  });

  it('reads the real SparseDFF rig: 4 cameras, proper rotations, |T| within a < 3 m rig, the stored extrinsics recovered', (ctx) => {
    const path = requireRealData(ctx, 'rgbd/sparsedff-rig/calibration.json');
    const text = readFileSync(path, 'utf8');
    const rig = parseSparseDffCalibration(text, 'calibration.json');
    const names = Object.keys(rig.cameras).sort();
    expect(names).toEqual(['cam0', 'cam1', 'cam2', 'cam3']);
    expect(rig.reference).toBe('cam0');
    const raw = JSON.parse(text) as {
      cameras: Record<string, { K: number[][]; image_size: number[] }>;
      camera_poses: Record<string, { R: number[][]; T: number[] }>;
    };
    for (const name of names) {
      const cam = rig.cameras[name]!;
      expectRotation(cam.cameraToWorld);
      expect(Math.hypot(...translation(cam.cameraToWorld))).toBeLessThan(3);
      expect(cam.intrinsics).toEqual({
        width: 3840,
        height: 2160,
        fx: raw.cameras[name]!.K[0]![0],
        fy: raw.cameras[name]!.K[1]![1],
        cx: raw.cameras[name]!.K[0]![2],
        cy: raw.cameras[name]!.K[1]![2],
      });
      expect(cam.distortion.length).toBe(5);
      const stored = raw.camera_poses[name === 'cam0' ? 'cam0' : `${name}_to_cam0`]!;
      // Independent: world(cam0) → camN must be exactly the stored [R | T].
      const extrinsic = invertRigid(cam.cameraToWorld);
      expectMatrixClose(extrinsic, [...stored.R[0]!, stored.T[0]!, ...stored.R[1]!, stored.T[1]!, ...stored.R[2]!, stored.T[2]!, 0, 0, 0, 1], 9);
      expect(Math.hypot(...stored.T)).toBeLessThan(3);
    }
    // The four optical axes converge on a common point in front of every camera (the tabletop).
    const axes = names.map((n) => {
      const m = rig.cameras[n]!.cameraToWorld;
      return { c: translation(m), d: [m[2]!, m[6]!, m[10]!] };
    });
    const target = [0, 0, 0].map((_, k) => axes.reduce((s, a) => s + a.c[k]! + 0.9 * a.d[k]!, 0) / axes.length);
    for (const { c, d } of axes) {
      const v = target.map((t, k) => t - c[k]!);
      const along = v[0]! * d[0]! + v[1]! * d[1]! + v[2]! * d[2]!;
      expect(along).toBeGreaterThan(0.5);
      expect(Math.hypot(...v.map((x, k) => x - along * d[k]!))).toBeLessThan(0.15);
    }
  });
});
