/** The capture settings slice: how the next drop is interpreted (the capture settings panel), sent as is to the worker. */
import { DEFAULT_CAPTURE_SETTINGS, type CaptureSettings } from '../../core/capture/captureSettings.ts';
import { useFieldLens } from './store.ts';

export interface CaptureSettingsSlice {
  captureSettings: CaptureSettings;
}

export function createCaptureSettingsSlice(): CaptureSettingsSlice {
  return { captureSettings: DEFAULT_CAPTURE_SETTINGS };
}

export function updateCaptureSettings(patch: Partial<CaptureSettings>): void {
  useFieldLens.setState((s) => ({ captureSettings: { ...s.captureSettings, ...patch } }));
}
