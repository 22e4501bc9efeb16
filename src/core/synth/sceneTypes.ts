/**
 * Data model of a procedural scene: objects made of primitive parts, each part with a material.
 * Plain readonly data, so tests can build tiny scenes by hand.
 */
import type { Shape, Vec3 } from './primitives.ts';

export type RgbBytes = readonly [red: number, green: number, blue: number];

/** Colour names as FieldLens shows them and as text queries would name them. */
export type SynthColourName = 'red' | 'yellow' | 'blue' | 'green' | 'white' | 'brown' | 'grey';

/** A procedural surface pattern evaluated at the hit point (world space, so it is stable across views). */
export type SurfacePattern = 'none' | 'wood-grain' | 'dice-pips';

export interface SynthMaterial {
  /** Base colour (8-bit sRGB) under full light. */
  readonly albedo: RgbBytes;
  /** Amplitude of the per-pixel multiplicative noise, as a fraction of the shaded colour (e.g. 0.04). */
  readonly textureNoiseFraction: number;
  readonly pattern: SurfacePattern;
}

export interface SynthPart {
  readonly shape: Shape;
  readonly material: SynthMaterial;
}

export interface SynthObject {
  /** Value written to the instance image; 0 is reserved for the floor and for rays that hit nothing. */
  readonly instanceId: number;
  readonly name: string;
  readonly colourName: SynthColourName;
  /** The object's surface is the union of these parts. */
  readonly parts: readonly SynthPart[];
}

export interface SynthLighting {
  /** Unit vector from surfaces toward the (directional) light, world frame. */
  readonly unitDirectionToLight: Vec3;
  /** Fraction of albedo seen in full shadow. */
  readonly ambientFraction: number;
  /** Fraction of albedo added at normal incidence of the light (ambient + diffuse should be ≈ 1). */
  readonly diffuseFraction: number;
  /** Whether surfaces facing the light but blocked by other geometry are left in ambient light. */
  readonly castShadows: boolean;
}

export interface SynthScene {
  readonly seed: number;
  readonly objects: readonly SynthObject[];
  readonly lighting: SynthLighting;
  /** Colour of pixels whose ray hits nothing. */
  readonly background: RgbBytes;
}
