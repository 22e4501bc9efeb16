/**
 * The capture formats FieldLens reads, in the order they are asked (first match wins): layouts
 * named by a file of their own first, then single point-cloud files, then loose frame files. A new
 * format is one module exporting a CaptureFormatEntry plus one line here.
 */
import { CaptureRegistry } from './captureRegistry.ts';
import { npyPointsCapture, pcdCapture, plyCapture } from './pointFiles.ts';
import { multiCameraNpyCapture, nerfstudioCapture, scanNetCapture, sceneJsonCapture, trajectoryLogCapture, tumSequenceCapture } from './posedCaptures.ts';
import { singleFrameCapture } from './singleFrame.ts';

export const CAPTURE_FORMATS = new CaptureRegistry([
  sceneJsonCapture,
  nerfstudioCapture,
  trajectoryLogCapture,
  tumSequenceCapture,
  scanNetCapture,
  multiCameraNpyCapture,
  plyCapture,
  pcdCapture,
  npyPointsCapture,
  singleFrameCapture,
]);
