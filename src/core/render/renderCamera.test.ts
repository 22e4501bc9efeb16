import { describe, expect, it } from 'vitest';
import { parseRenderCamera, resizeIntrinsics } from './renderCamera.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const pose = [0, 0, 1, 0.5, 0, 1, 0, 0, -1, 0, 0, 2, 0, 0, 0, 1];

describe('render camera files', () => {
  it('reads a JSON pose (4 rows) with Open3D intrinsics, and a flat pose with fx fy cx cy beside it', () => {
    const open3d = { width: 640, height: 480, intrinsic_matrix: [525, 0, 0, 0, 525, 0, 319.5, 239.5, 1] };
    const a = parseRenderCamera(
      bytes(JSON.stringify({ cameraToWorld: [pose.slice(0, 4), pose.slice(4, 8), pose.slice(8, 12), pose.slice(12)], intrinsics: open3d })),
      'a.json',
    );
    expect(a.cameraToWorld).toEqual(pose);
    expect(a.intrinsics).toEqual({ width: 640, height: 480, fx: 525, fy: 525, cx: 319.5, cy: 239.5 });
    const b = parseRenderCamera(bytes(JSON.stringify({ cameraToWorld: pose, fx: 100, fy: 90, cx: 40, cy: 30, width: 80, height: 60 })), 'b.json');
    expect(b.intrinsics).toEqual({ width: 80, height: 60, fx: 100, fy: 90, cx: 40, cy: 30 });
  });

  it('takes a 4×4 text pose with the caller’s intrinsics, and names what is wrong otherwise', () => {
    const k = { width: 8, height: 6, fx: 5, fy: 5, cx: 3.5, cy: 2.5 };
    const text = [0, 1, 2, 3].map((r) => pose.slice(4 * r, 4 * r + 4).join(' ')).join('\n');
    expect(parseRenderCamera(bytes(text), 'p.txt', k)).toEqual({ cameraToWorld: pose, intrinsics: k });
    expect(() => parseRenderCamera(bytes(text), 'p.txt')).toThrow('p.txt: a 4×4 pose without intrinsics');
    expect(() => parseRenderCamera(bytes('{"cameraToWorld": [1, 2, 3]}'), 'c.json', k)).toThrow(
      /c\.json: "cameraToWorld" must be a 4×4 camera-to-world matrix/,
    );
    const scaled = [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1];
    expect(() => parseRenderCamera(bytes(JSON.stringify({ cameraToWorld: scaled })), 'd.json', k)).toThrow(/d\.json: cameraToWorld: not a rigid camera pose/);
  });

  it('resizes intrinsics about the image edge (pixel centres at integers)', () => {
    // 640×480 → 320×240: centre 319.5 → 159.5, focal halves.
    expect(resizeIntrinsics({ width: 640, height: 480, fx: 525, fy: 525, cx: 319.5, cy: 239.5 }, 320, 240)).toEqual({
      width: 320,
      height: 240,
      fx: 262.5,
      fy: 262.5,
      cx: 159.5,
      cy: 119.5,
    });
  });
});
