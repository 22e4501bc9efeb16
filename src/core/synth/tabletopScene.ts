/**
 * The procedural tabletop: a wooden table on a grey floor with five distinctly coloured objects.
 *
 * World frame: metres, z UP, origin on the floor under the table centre; the table's long side runs
 * along x. Instance ids: 0 floor (and "no hit"), 1..5 the objects on the table, 6 the table.
 * Objects get small seeded jitter in position and yaw and never overlap.
 */
import { mixSeeds, mulberry32, uniformBetween, type UniformRandom } from './prng.ts';
import { vec3, type Shape, type Vec3 } from './primitives.ts';
import type { RgbBytes, SynthColourName, SynthMaterial, SynthObject, SynthPart, SynthScene } from './sceneTypes.ts';

export const TABLE_TOP_HEIGHT_METRES = 0.74;
export const TABLE_TOP_THICKNESS_METRES = 0.04;
export const TABLE_TOP_SIZE_X_METRES = 1.0;
export const TABLE_TOP_SIZE_Y_METRES = 0.7;
const TABLE_LEG_WIDTH_METRES = 0.05;
const TABLE_LEG_INSET_METRES = 0.04;
/** Half-size of the square floor patch; beyond it rays see the background (see PlaneShape). */
export const FLOOR_HALF_EXTENT_METRES = 2.5;

/** Centre of the table top's upper surface: the point the demo cameras look at. */
export const TABLE_TOP_CENTRE: Vec3 = vec3(0, 0, TABLE_TOP_HEIGHT_METRES);

export const FLOOR_INSTANCE_ID = 0;
export const TABLE_INSTANCE_ID = 6;

/** Largest random offset of an object from its nominal place, per axis. */
const POSITION_JITTER_METRES = 0.025;
/** Minimum gap between object footprints. */
const FOOTPRINT_CLEARANCE_METRES = 0.015;
/** Minimum gap between an object footprint and the table edge. */
const TABLE_EDGE_MARGIN_METRES = 0.03;
const MAX_PLACEMENT_ATTEMPTS = 64;

function material(albedo: RgbBytes, pattern: SynthMaterial['pattern'] = 'none', textureNoiseFraction = 0.04): SynthMaterial {
  return { albedo, pattern, textureNoiseFraction };
}

const FLOOR_MATERIAL = material([138, 138, 136], 'none', 0.06);
const TABLE_MATERIAL = material([132, 84, 46], 'wood-grain', 0.05);

/** A tabletop object before placement: its footprint and how to build its parts at a place on the table. */
interface TabletopObjectRecipe {
  readonly instanceId: number;
  readonly name: string;
  readonly colourName: SynthColourName;
  /** Nominal centre on the table top (x, y), metres. */
  readonly nominalX: number;
  readonly nominalY: number;
  /** Radius of a vertical cylinder that contains the object, for the no-overlap check (metres). */
  readonly footprintRadiusMetres: number;
  readonly buildParts: (centreX: number, centreY: number, yawRadians: number) => SynthPart[];
}

const MUG_RADIUS_METRES = 0.045;
const MUG_HEIGHT_METRES = 0.1;
const DICE_SIZE_METRES = 0.05;
const BALL_RADIUS_METRES = 0.05;
const GREEN_BOX_SIZE: Vec3 = vec3(0.12, 0.08, 0.06);
const PLATE_RADIUS_METRES = 0.11;
const PLATE_HEIGHT_METRES = 0.015;

const TABLETOP_OBJECT_RECIPES: readonly TabletopObjectRecipe[] = [
  {
    instanceId: 1,
    name: 'red mug',
    colourName: 'red',
    nominalX: 0.22,
    nominalY: 0.12,
    footprintRadiusMetres: MUG_RADIUS_METRES + 0.023,
    buildParts: (x, y, yaw) => {
      const red = material([196, 34, 34]);
      // The handle is a solid tab reaching 2 cm out of the body (a torus is not worth a primitive here).
      const handleCentreDistance = MUG_RADIUS_METRES + 0.01;
      return [
        { shape: cylinder(x, y, TABLE_TOP_HEIGHT_METRES, MUG_RADIUS_METRES, MUG_HEIGHT_METRES), material: red },
        {
          shape: box(
            vec3(x + handleCentreDistance * Math.cos(yaw), y + handleCentreDistance * Math.sin(yaw), TABLE_TOP_HEIGHT_METRES + 0.055),
            vec3(0.012, 0.006, 0.03),
            yaw,
          ),
          material: red,
        },
      ];
    },
  },
  {
    instanceId: 2,
    name: 'yellow dice',
    colourName: 'yellow',
    nominalX: 0.0,
    nominalY: -0.14,
    footprintRadiusMetres: (DICE_SIZE_METRES / 2) * Math.SQRT2,
    buildParts: (x, y, yaw) => {
      const half = DICE_SIZE_METRES / 2;
      return [
        {
          shape: box(vec3(x, y, TABLE_TOP_HEIGHT_METRES + half), vec3(half, half, half), yaw),
          material: material([236, 196, 40], 'dice-pips'),
        },
      ];
    },
  },
  {
    instanceId: 3,
    name: 'blue ball',
    colourName: 'blue',
    nominalX: -0.24,
    nominalY: -0.12,
    footprintRadiusMetres: BALL_RADIUS_METRES,
    buildParts: (x, y) => [
      {
        shape: {
          kind: 'sphere',
          centre: vec3(x, y, TABLE_TOP_HEIGHT_METRES + BALL_RADIUS_METRES),
          radiusMetres: BALL_RADIUS_METRES,
        },
        material: material([34, 78, 204]),
      },
    ],
  },
  {
    instanceId: 4,
    name: 'green box',
    colourName: 'green',
    nominalX: 0.24,
    nominalY: -0.13,
    footprintRadiusMetres: Math.hypot(GREEN_BOX_SIZE.x, GREEN_BOX_SIZE.y) / 2,
    buildParts: (x, y, yaw) => [
      {
        shape: box(vec3(x, y, TABLE_TOP_HEIGHT_METRES + GREEN_BOX_SIZE.z / 2), vec3(GREEN_BOX_SIZE.x / 2, GREEN_BOX_SIZE.y / 2, GREEN_BOX_SIZE.z / 2), yaw),
        material: material([44, 158, 68]),
      },
    ],
  },
  {
    instanceId: 5,
    name: 'white plate',
    colourName: 'white',
    nominalX: -0.2,
    nominalY: 0.12,
    footprintRadiusMetres: PLATE_RADIUS_METRES,
    buildParts: (x, y) => [
      {
        shape: cylinder(x, y, TABLE_TOP_HEIGHT_METRES, PLATE_RADIUS_METRES, PLATE_HEIGHT_METRES),
        material: material([236, 236, 228], 'none', 0.03),
      },
    ],
  },
];

function cylinder(x: number, y: number, baseZ: number, radiusMetres: number, heightMetres: number): Shape {
  return { kind: 'cylinder', baseCentre: vec3(x, y, baseZ), radiusMetres, heightMetres };
}

function box(centre: Vec3, halfExtentsMetres: Vec3, yawRadians: number): Shape {
  return { kind: 'box', centre, halfExtentsMetres, yawRadians };
}

/** Where one tabletop object ended up: centre on the table top and footprint. */
export interface TabletopPlacement {
  readonly instanceId: number;
  readonly centreX: number;
  readonly centreY: number;
  readonly yawRadians: number;
  readonly footprintRadiusMetres: number;
}

function footprintFits(candidate: TabletopPlacement, placed: readonly TabletopPlacement[]): boolean {
  const r = candidate.footprintRadiusMetres;
  const maxX = TABLE_TOP_SIZE_X_METRES / 2 - TABLE_EDGE_MARGIN_METRES - r;
  const maxY = TABLE_TOP_SIZE_Y_METRES / 2 - TABLE_EDGE_MARGIN_METRES - r;
  if (Math.abs(candidate.centreX) > maxX || Math.abs(candidate.centreY) > maxY) return false;
  return placed.every(
    (other) => Math.hypot(candidate.centreX - other.centreX, candidate.centreY - other.centreY) >= r + other.footprintRadiusMetres + FOOTPRINT_CLEARANCE_METRES,
  );
}

/**
 * Seeded placement, in recipe order: each object tries jittered spots around its nominal place until
 * one fits beside the objects already placed, else keeps the nominal place. Nominal places are at least
 * clearance + √2·jitter apart, so a nominal place always fits beside jittered neighbours (the throw
 * below guards that invariant if someone edits the layout).
 */
export function placeTabletopObjects(seed: number): TabletopPlacement[] {
  const random: UniformRandom = mulberry32(mixSeeds(seed, 0x7ab1e));
  const placed: TabletopPlacement[] = [];
  for (const recipe of TABLETOP_OBJECT_RECIPES) {
    const nominal: TabletopPlacement = {
      instanceId: recipe.instanceId,
      centreX: recipe.nominalX,
      centreY: recipe.nominalY,
      yawRadians: 0,
      footprintRadiusMetres: recipe.footprintRadiusMetres,
    };
    if (!footprintFits(nominal, placed)) throw new Error(`tabletop layout: nominal place of ${recipe.name} overlaps`);
    let chosen = nominal;
    for (let attempt = 0; attempt < MAX_PLACEMENT_ATTEMPTS; attempt++) {
      const candidate: TabletopPlacement = {
        ...nominal,
        centreX: recipe.nominalX + uniformBetween(random, -POSITION_JITTER_METRES, POSITION_JITTER_METRES),
        centreY: recipe.nominalY + uniformBetween(random, -POSITION_JITTER_METRES, POSITION_JITTER_METRES),
        yawRadians: uniformBetween(random, -Math.PI, Math.PI),
      };
      if (footprintFits(candidate, placed)) {
        chosen = candidate;
        break;
      }
    }
    placed.push(chosen);
  }
  return placed;
}

function makeTableParts(): SynthPart[] {
  const halfTop = vec3(TABLE_TOP_SIZE_X_METRES / 2, TABLE_TOP_SIZE_Y_METRES / 2, TABLE_TOP_THICKNESS_METRES / 2);
  const parts: SynthPart[] = [{ shape: box(vec3(0, 0, TABLE_TOP_HEIGHT_METRES - halfTop.z), halfTop, 0), material: TABLE_MATERIAL }];
  const legHeight = TABLE_TOP_HEIGHT_METRES - TABLE_TOP_THICKNESS_METRES;
  const legHalf = vec3(TABLE_LEG_WIDTH_METRES / 2, TABLE_LEG_WIDTH_METRES / 2, legHeight / 2);
  const legX = halfTop.x - TABLE_LEG_INSET_METRES - legHalf.x;
  const legY = halfTop.y - TABLE_LEG_INSET_METRES - legHalf.y;
  for (const [signX, signY] of [
    [1, 1],
    [-1, 1],
    [-1, -1],
    [1, -1],
  ] as const) {
    parts.push({ shape: box(vec3(signX * legX, signY * legY, legHalf.z), legHalf, 0), material: TABLE_MATERIAL });
  }
  return parts;
}

export function makeTabletopScene(seed: number): SynthScene {
  const floor: SynthObject = {
    instanceId: FLOOR_INSTANCE_ID,
    name: 'floor',
    colourName: 'grey',
    parts: [
      {
        shape: {
          kind: 'plane',
          pointOnPlane: vec3(0, 0, 0),
          unitNormal: vec3(0, 0, 1),
          worldXYHalfExtentMetres: FLOOR_HALF_EXTENT_METRES,
        },
        material: FLOOR_MATERIAL,
      },
    ],
  };
  const placements = placeTabletopObjects(seed);
  const tabletopObjects = TABLETOP_OBJECT_RECIPES.map((recipe, index): SynthObject => {
    const placement = placements[index];
    if (placement === undefined) throw new Error(`tabletop layout: ${recipe.name} was not placed`);
    return {
      instanceId: recipe.instanceId,
      name: recipe.name,
      colourName: recipe.colourName,
      parts: recipe.buildParts(placement.centreX, placement.centreY, placement.yawRadians),
    };
  });
  const table: SynthObject = {
    instanceId: TABLE_INSTANCE_ID,
    name: 'wooden table',
    colourName: 'brown',
    parts: makeTableParts(),
  };

  const towardLight = vec3(0.3, -0.45, 1);
  const lightLength = Math.sqrt(towardLight.x * towardLight.x + towardLight.y * towardLight.y + towardLight.z * towardLight.z);
  return {
    seed,
    objects: [floor, ...tabletopObjects, table],
    lighting: {
      unitDirectionToLight: vec3(towardLight.x / lightLength, towardLight.y / lightLength, towardLight.z / lightLength),
      ambientFraction: 0.42,
      diffuseFraction: 0.62,
      castShadows: true,
    },
    background: [16, 18, 24],
  };
}
