import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../testing/fixtureEncoders.ts';
import { checkFileSize, expandArchives, MAX_FILE_BYTES, MAX_ZIP_ENTRIES, stripCommonRoot } from './captureFiles.ts';
import { loadCapture } from './loadCapture.ts';
import { captureSettings, DEFAULT_CAPTURE_SETTINGS } from './captureSettings.ts';

const text = (s: string) => new TextEncoder().encode(s);

describe('dropped files', () => {
  it('expands zips with their folders, drops OS litter and the common root folder', () => {
    const zip = zipSync({ 'scan/color/0.jpg': text('c'), 'scan/depth/0.png': text('d'), 'scan/.DS_Store': text('x'), '__MACOSX/scan/._0.jpg': text('y') });
    expect(
      expandArchives([{ name: 'scan.zip', bytes: zip }])
        .map((f) => f.name)
        .sort(),
    ).toEqual(['color/0.jpg', 'depth/0.png']);
  });

  it('keeps paths when the files share no root, and a lone file keeps its name', () => {
    expect(
      stripCommonRoot([
        { name: 'a/x', bytes: text('') },
        { name: 'b/y', bytes: text('') },
      ]).map((f) => f.name),
    ).toEqual(['a/x', 'b/y']);
    expect(stripCommonRoot([{ name: 'scene.ply', bytes: text('') }]).map((f) => f.name)).toEqual(['scene.ply']);
  });

  it('names a corrupt zip', () => {
    const zip = zipSync({ 'a.txt': text('hello world, hello world') });
    expect(() => expandArchives([{ name: 'broken.zip', bytes: zip.subarray(0, 30) }])).toThrow(/^broken\.zip: corrupt or truncated zip archive/);
  });

  it('refuses files over the size limit by name and size, before reading', () => {
    expect(() => checkFileSize('huge.ply', 2 * 1024 ** 3)).toThrow(/^huge\.ply: 2\.0 GiB is larger than the 1\.0 GiB FieldLens loads/);
    expect(() => checkFileSize('ok.ply', MAX_FILE_BYTES)).not.toThrow();
  });

  it('refuses a zip with more entries than the limit, naming the count, and keeps one at the limit', () => {
    // The mechanism with a limit of 50 (a zip of MAX_ZIP_ENTRIES entries takes long to build).
    const entries = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f/${i}.txt`, text('x')]));
    expect(() => expandArchives([{ name: 'many.zip', bytes: zipSync(entries(51)) }], 50)).toThrow(
      /^many\.zip: the zip holds 51 entries; FieldLens expands at most 50 \(unzip it/,
    );
    expect(expandArchives([{ name: 'ok.zip', bytes: zipSync(entries(50)) }], 50)).toHaveLength(50);
    expect(MAX_ZIP_ENTRIES).toBeLessThan(65_536);
  });

  it('refuses a zip inside a zip by both names', () => {
    const inner = zipSync({ 'a.txt': text('a') });
    expect(() => expandArchives([{ name: 'outer.zip', bytes: zipSync({ 'scan/inner.zip': inner, 'scan/b.txt': text('b') }) }])).toThrow(
      /^outer\.zip: holds another zip \(scan\/inner\.zip\); FieldLens expands one level/,
    );
  });
});

describe('bring-your-own features', () => {
  const positions = new Float32Array([0, 0, 1, 1, 0, 1, 0, 1, 1]);
  it('an N×3 points .npy with an N×D features .npy keeps the features aligned', () => {
    const features = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const loaded = loadCapture(
      [
        { name: 'points.npy', bytes: encodeNpy(positions, [3, 3]) },
        { name: 'features.npy', bytes: encodeNpy(features, [3, 4]) },
      ],
      DEFAULT_CAPTURE_SETTINGS,
    );
    expect(loaded.capture.format).toBe('npy-points');
    expect(loaded.cloud.count).toBe(3);
    expect(loaded.features?.dim).toBe(4);
    expect(Array.from(loaded.features!.values)).toEqual(Array.from(features));
  });

  it('refuses features whose row count does not match the points', () => {
    expect(() =>
      loadCapture(
        [
          { name: 'points.npy', bytes: encodeNpy(positions, [3, 3]) },
          { name: 'clip_features.npy', bytes: encodeNpy(new Float32Array(8), [2, 4]) },
        ],
        DEFAULT_CAPTURE_SETTINGS,
      ),
    ).toThrow(/^clip_features\.npy: expected per-point features of shape \[3, D\] to match points\.npy, found \[2, 4\]/);
  });

  it('voxel down-sampling averages the features of merged points', () => {
    const close = new Float32Array([0, 0, 1, 0.001, 0, 1, 5, 5, 5]);
    const loaded = loadCapture(
      [
        { name: 'points.npy', bytes: encodeNpy(close, [3, 3]) },
        { name: 'features.npy', bytes: encodeNpy(new Float32Array([1, 0, 3, 2, 7, 7]), [3, 2]) },
      ],
      captureSettings({ voxelSize: 0.1 }),
    );
    expect(loaded.cloud.count).toBe(2);
    expect(Array.from(loaded.features!.values)).toEqual([2, 1, 7, 7]);
  });
});
