/**
 * `fieldlens render`: from an input camera the render reproduces that camera's own colour and depth
 * (the demo's ray-traced images; a real Redwood frame), and from a pose file it shows a plane where
 * ray–plane intersection puts it. References are the input images and closed-form geometry, never
 * the splatter itself.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { captureSettings } from '../core/capture/captureSettings.ts';
import { encodeNpy } from '../core/formats/npyEncode.ts';
import { parseNpy } from '../core/formats/npy.ts';
import { decodeImage } from '../core/formats/images.ts';
import { readInputs } from './cliArgs.ts';
import { runRenderCommand } from './renderCommand.ts';
import { repoRoot, requireRealData } from '../testing/realData.ts';
import { defaultManifestFile } from '../node/repoPaths.ts';

const models = { manifestPath: defaultManifestFile };
const npyFloats = (path: string) => parseNpy(new Uint8Array(readFileSync(path)), path);

/** Coverage of the reference's valid depth pixels, colour MAD (0..255) and median |depth error| (mm) over the covered ones. */
function compareToReference(out: string, refDepthMetres: Float32Array, refRgb: Uint8Array) {
  const depth = npyFloats(join(out, 'depth.npy')).data as Float32Array;
  const rgb = decode(readFileSync(join(out, 'rgb.png'))).data as Uint8Array;
  let valid = 0;
  let colourSum = 0;
  const errorsMm: number[] = [];
  for (let k = 0; k < refDepthMetres.length; k++) {
    if (!(refDepthMetres[k]! > 0)) continue;
    valid++;
    if (!(depth[k]! > 0)) continue;
    for (let c = 0; c < 3; c++) colourSum += Math.abs(rgb[3 * k + c]! - refRgb[3 * k + c]!);
    errorsMm.push(Math.abs(depth[k]! - refDepthMetres[k]!) * 1000);
  }
  errorsMm.sort((a, b) => a - b);
  return { coverage: errorsMm.length / valid, colourMad: colourSum / (3 * errorsMm.length), medianMm: errorsMm[errorsMm.length >> 1]! };
}

function decodeColour(path: string): { rgb: Uint8Array } {
  const image = decodeImage(new Uint8Array(readFileSync(path)), path);
  if (!('rgb' in image)) throw new Error(`${path}: not a colour image`);
  return image;
}

function depthPngMetres(path: string, unitsPerMetre: number): Float32Array {
  const units = decode(readFileSync(path)).data as Uint16Array;
  return Float32Array.from(units, (u) => u / unitsPerMetre);
}

describe('fieldlens render', () => {
  it('from the demo’s input camera 0 reproduces its ray-traced colour and depth; pca.png, relevancy.npy/png with --text', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fieldlens-render-'));
    const demo = join(repoRoot, 'public/demo');
    const result = await runRenderCommand({
      files: readInputs([demo]),
      capture: captureSettings(),
      view: 0,
      out,
      text: 'yellow dice',
      pca: true,
      features: false,
      models,
    });
    expect(result.files).toEqual(expect.arrayContaining(['rgb.png', 'depth.npy', 'pca.png', 'relevancy.npy', 'relevancy.png', 'render.json']));
    const ref = decodeColour(join(demo, 'view0_color.png'));
    const m = compareToReference(out, depthPngMetres(join(demo, 'view0_depth.png'), 1000), ref.rgb);
    console.log(`demo view 0: coverage ${(m.coverage * 100).toFixed(2)} %, colour MAD ${m.colourMad.toFixed(2)}/255, depth median ${m.medianMm.toFixed(2)} mm`);
    expect(m.coverage).toBeGreaterThanOrEqual(0.95);
    expect(m.colourMad).toBeLessThanOrEqual(8);
    expect(m.medianMm).toBeLessThanOrEqual(5);
    const relevancy = npyFloats(join(out, 'relevancy.npy'));
    expect(relevancy.shape).toEqual([result.height, result.width]);
    const pca = decode(readFileSync(join(out, 'pca.png')));
    expect([pca.width, pca.height, pca.channels]).toEqual([result.width, result.height, 3]);
  }, 120_000);

  it('from a pose file shows a plane at the depth ray–plane intersection gives, each side in its colour', async () => {
    // The plane z = 2 m, x and y in [−1, 1] every 5 mm; red where x < 0, blue where x ≥ 0.
    const side = 401;
    const xyzrgb = new Float32Array(side * side * 6);
    for (let i = 0; i < side; i++)
      for (let j = 0; j < side; j++) {
        const x = -1 + (2 * i) / (side - 1);
        xyzrgb.set([x, -1 + (2 * j) / (side - 1), 2, x < 0 ? 255 : 0, 0, x < 0 ? 0 : 255], (i * side + j) * 6);
      }
    const dir = mkdtempSync(join(tmpdir(), 'fieldlens-render-plane-'));
    writeFileSync(join(dir, 'plane.npy'), encodeNpy(xyzrgb, [side * side, 6]));
    // Camera at (0.2, 0.1, 0.3), turned 15° about y (towards +x).
    const a = (15 * Math.PI) / 180;
    const pose = [Math.cos(a), 0, Math.sin(a), 0.2, 0, 1, 0, 0.1, -Math.sin(a), 0, Math.cos(a), 0.3, 0, 0, 0, 1];
    const intrinsics = { width: 80, height: 60, fx: 70, fy: 70, cx: 39.5, cy: 29.5 };
    writeFileSync(
      join(dir, 'pose.json'),
      JSON.stringify({ cameraToWorld: [pose.slice(0, 4), pose.slice(4, 8), pose.slice(8, 12), pose.slice(12)], intrinsics }),
    );
    const out = join(dir, 'out');
    await runRenderCommand({
      files: readInputs([join(dir, 'plane.npy')]),
      capture: captureSettings(),
      poseFile: join(dir, 'pose.json'),
      out,
      pca: false,
      features: false,
      models,
    });
    const depth = npyFloats(join(out, 'depth.npy')).data as Float32Array;
    const rgb = decode(readFileSync(join(out, 'rgb.png'))).data as Uint8Array;
    let inside = 0;
    let covered = 0;
    let colourRight = 0;
    const errorsMm: number[] = [];
    for (let v = 0; v < 60; v++)
      for (let u = 0; u < 80; u++) {
        // Ray (camera frame, z = 1) → world; depth along the optical axis = t where origin_z + t·d_z = 2.
        const d = [(u - 39.5) / 70, (v - 29.5) / 70, 1];
        const w = [0, 1, 2].map((r) => pose[4 * r]! * d[0]! + pose[4 * r + 1]! * d[1]! + pose[4 * r + 2]! * d[2]!);
        const t = (2 - 0.3) / w[2]!;
        const hit = [0.2 + t * w[0]!, 0.1 + t * w[1]!];
        if (Math.abs(hit[0]!) > 0.98 || Math.abs(hit[1]!) > 0.98 || Math.abs(hit[0]!) < 0.02) continue; // off the plane, or on the colour seam
        inside++;
        const k = v * 80 + u;
        if (!(depth[k]! > 0)) continue;
        covered++;
        errorsMm.push(Math.abs(depth[k]! - t) * 1000);
        if (hit[0]! < 0 ? rgb[3 * k] === 255 && rgb[3 * k + 2] === 0 : rgb[3 * k] === 0 && rgb[3 * k + 2] === 255) colourRight++;
      }
    errorsMm.sort((p, q) => p - q);
    expect(inside).toBeGreaterThan(2000);
    expect(covered / inside).toBeGreaterThanOrEqual(0.99);
    expect(colourRight / covered).toBeGreaterThanOrEqual(0.99);
    expect(errorsMm[errorsMm.length >> 1]!).toBeLessThanOrEqual(5);
  }, 60_000);

  it('from a real Redwood input camera reproduces its colour and depth', async (ctx) => {
    const dir = requireRealData(ctx, 'rgbd/redwood-tum-nyu-sun');
    const camera = requireRealData(ctx, 'rgbd/camera_primesense.json');
    const files = [
      ...readInputs([join(dir, 'color'), join(dir, 'depth')]).map((f) => f),
      ...readInputs([join(dir, 'trajectory.log'), join(dir, 'rgbd.match'), camera]),
    ];
    const out = mkdtempSync(join(tmpdir(), 'fieldlens-render-redwood-'));
    // readInputs names a folder's files relative to it: put them back under color/ and depth/.
    const named = files.map((f, i) => (i < 8 ? { ...f, name: `${i < 4 ? 'color' : 'depth'}/${f.name}` } : f));
    const result = await runRenderCommand({ files: named, capture: captureSettings(), view: 0, out, pca: false, features: false, models });
    const ref = decodeColour(join(dir, 'color/00000.jpg'));
    const m = compareToReference(out, depthPngMetres(join(dir, 'depth/00000.png'), 1000), ref.rgb);
    console.log(
      `Redwood frame 0 (${result.points} points, spacing ${(result.pointSpacingMetres * 1000).toFixed(2)} mm, ${result.renderMs.toFixed(0)} ms): coverage ${(m.coverage * 100).toFixed(2)} %, colour MAD ${m.colourMad.toFixed(2)}/255, depth median ${m.medianMm.toFixed(2)} mm`,
    );
    expect(m.coverage).toBeGreaterThanOrEqual(0.95);
    expect(m.colourMad).toBeLessThanOrEqual(8);
    expect(m.medianMm).toBeLessThanOrEqual(5);
  }, 120_000);
});
