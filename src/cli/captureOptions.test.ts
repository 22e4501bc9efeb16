/**
 * A capture format is one registry entry: registering a fake one in a registry instance makes it
 * detected, offered by the file picker and listed by the CLI's help, with no other edit.
 */
import { describe, expect, it } from 'vitest';
import { CAPTURE_FORMATS } from '../core/capture/captureFormats.ts';
import { CaptureRegistry } from '../core/capture/captureRegistry.ts';
import { DEFAULT_CAPTURE_SETTINGS } from '../core/capture/captureSettings.ts';
import { loadCapture } from '../core/capture/loadCapture.ts';
import { pointCloudFileFormat } from '../core/capture/pointFiles.ts';
import { captureFormatsHelp, captureOptionsHelp, captureSettingsFromOptions } from './captureOptions.ts';

const text = (s: string) => new TextEncoder().encode(s);

/** "x y z" per line: a format FieldLens does not ship, parsed here independently of the registry. */
const xyzFormat = pointCloudFileFormat({
  id: 'xyz-test',
  label: 'XYZ test cloud (x y z per line)',
  extension: 'xyz',
  parse: (bytes) => {
    const values = new TextDecoder().decode(bytes).trim().split(/\s+/).map(Number);
    return { count: values.length / 3, positions: Float32Array.from(values) };
  },
});
const registry = new CaptureRegistry([...CAPTURE_FORMATS.entries.slice(0, -1), xyzFormat, CAPTURE_FORMATS.entries.at(-1)!]);
const xyzFile = { name: 'scan.xyz', bytes: text('0 0 1\n1 2 3\n') };

describe('a new capture format is one registry entry', () => {
  it('is detected and assembled by its own parser (not as PCD or PLY)', () => {
    expect(registry.detect([xyzFile]).id).toBe('xyz-test');
    const loaded = loadCapture([xyzFile], DEFAULT_CAPTURE_SETTINGS, undefined, registry);
    expect(loaded.capture.format).toBe('xyz-test');
    expect(Array.from(loaded.cloud.positions)).toEqual([0, 0, 1, 1, 2, 3]);
  });

  it('is a point-cloud file: refused together with another cloud, by name', () => {
    const ply = { name: 'b.ply', bytes: text('ply\nformat ascii 1.0\nelement vertex 0\nend_header\n') };
    expect(() => registry.assemble([xyzFile, ply], DEFAULT_CAPTURE_SETTINGS)).toThrow(
      /^b\.ply: more than one point cloud dropped \(scan\.xyz, b\.ply\); drop one at a time/,
    );
  });

  it('is offered by the file picker and listed by the CLI help', () => {
    expect(registry.acceptList().split(',')).toContain('.xyz');
    expect(CAPTURE_FORMATS.acceptList().split(',')).not.toContain('.xyz');
    expect(captureFormatsHelp(registry)).toMatch(/^ {2}xyz-test +XYZ test cloud \(x y z per line\)$/m);
    expect(captureFormatsHelp(CAPTURE_FORMATS)).not.toContain('xyz-test');
  });

  it('the shipped registry offers what the picker offered before, and zips', () => {
    expect(CAPTURE_FORMATS.acceptList().split(',').sort()).toEqual(
      ['.png', '.jpg', '.jpeg', '.ppm', '.pgm', '.json', '.txt', '.npy', '.ply', '.pcd', '.zip', '.log', '.match'].sort(),
    );
  });

  it('unknown files give a clear error when no entry accepts them, and ids are unique', () => {
    expect(() => new CaptureRegistry([xyzFormat]).detect([{ name: 'notes.md', bytes: text('#') }])).toThrow(
      /^notes\.md: not a capture FieldLens reads \(expected one of: XYZ test cloud/,
    );
    expect(() => new CaptureRegistry([xyzFormat, xyzFormat])).toThrow(/the id "xyz-test" is registered twice/);
  });
});

describe('CLI capture options come from the settings table', () => {
  it('parses each option into the shared settings type, the rest at their defaults', () => {
    const options = new Map<string, string | true>([
      ['depth-scale', '5000'],
      ['intrinsics', '525,525,319.5,239.5'],
      ['voxel', '0.01'],
      ['max-depth', '4'],
      ['remove-outliers', true],
      ['max-frames', '12'],
    ]);
    const { settings, extraFiles } = captureSettingsFromOptions(options, () => []);
    expect(settings).toEqual({
      ...DEFAULT_CAPTURE_SETTINGS,
      depthScale: 5000,
      intrinsics: { fx: 525, fy: 525, cx: 319.5, cy: 239.5 },
      voxelSize: 0.01,
      maxDepth: 4,
      removeOutliers: true,
      maxFrames: 12,
    });
    expect(extraFiles).toEqual([]);
  });

  it('an --intrinsics that is not four numbers is a file read with the capture', () => {
    const file = { name: 'k.json', bytes: text('{}') };
    const read: string[] = [];
    const { settings, extraFiles } = captureSettingsFromOptions(new Map([['intrinsics', 'calib/k.json']]), (paths) => (read.push(...paths), [file]));
    expect(read).toEqual(['calib/k.json']);
    expect(extraFiles).toEqual([file]);
    expect(settings.intrinsics).toBeNull();
  });

  it('refuses bad values naming the option', () => {
    expect(() => captureSettingsFromOptions(new Map([['voxel', '-1']]), () => [])).toThrow(/^--voxel: expected a non-negative number, found -1/);
    expect(() => captureSettingsFromOptions(new Map([['depth-scale', '0']]), () => [])).toThrow(/--depth-scale: expected a positive number, found 0/);
  });

  it('help has one row per option, with its value name', () => {
    const help = captureOptionsHelp();
    for (const row of ['--depth-scale S', '--intrinsics-preset ID', '--voxel M', '--min-depth M', '--max-depth M', '--remove-outliers', '--max-frames N'])
      expect(help).toContain(`  ${row} `);
    expect(help).toContain('tum-freiburg1');
  });
});
