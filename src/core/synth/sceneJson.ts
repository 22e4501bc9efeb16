/**
 * How the synthetic scene writers (the bundled demo, `fieldlens dataset`) write `scene.json`:
 * format tag, depth scale of the depth PNGs renderRgbdView produces, and the JSON layout.
 */
export const SCENE_FORMAT = 'fieldlens-scene@1';
/** Depth PNGs store millimetres: 1000 depth units per metre. */
export const MILLIMETRE_DEPTH_SCALE = 1000;

/** Pretty JSON with each numeric array on one line (poses stay readable as 16 numbers). */
export function formatSceneJson(value: unknown): string {
  const pretty = JSON.stringify(value, null, 2);
  return `${pretty.replace(/\[\s*(-?\d[^[\]{}"]*?)\s*\]/g, (_match, body: string) => `[${body.split(/,\s*/).join(', ')}]`)}\n`;
}
