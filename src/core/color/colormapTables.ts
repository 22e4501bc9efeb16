/**
 * 256-entry colour maps for scalar fields (relevancy, similarity), as RGB bytes.
 *
 * - turbo: Google's published 256-entry sRGB table (Mikhailov 2019, Apache-2.0), entries × 255
 *   rounded. The polynomial in colormaps.ts approximates it; the table is exact at the ends too.
 * - viridis: matplotlib's `_viridis_data` (van der Walt & Smith, CC0), entries × 255 rounded.
 * - jet: matplotlib's piecewise-linear `_jet_data` segments, sampled at i / 255.
 *
 * Tables are stored as hex (6 digits per entry) so a 256 × 3 table is 16 short lines.
 */

export type ColormapName = 'turbo' | 'viridis' | 'jet';
export const COLORMAP_NAMES: readonly ColormapName[] = ['turbo', 'viridis', 'jet'];

/** Entries per table. */
export const COLORMAP_SIZE = 256;

const TURBO_HEX =
  '30123b32154333184a341b51351e5836215f37246638276d392a733a2d793b2f803c32863d358b3e38913f3b973f3e9c4040a24143a74146ac4249b1424bb5434eba4451bf4454c34456c74559cb455ccf455ed34661d64664da4666dd4669e0' +
  '466be3476ee64771e94773eb4776ee4778f0477bf2467df44680f64682f84685fa4687fb458afc458cfd448ffe4391fe4294ff4196ff4099ff3e9bfe3d9efe3ba0fd3aa3fc38a5fb37a8fa35abf833adf731aff52fb2f42eb4f22cb7f02ab9ee' +
  '28bceb27bee925c0e723c3e422c5e220c7df1fc9dd1ecbda1ccdd81bd0d51ad2d21ad4d019d5cd18d7ca18d9c818dbc518ddc218dec018e0bd19e2bb19e3b91ae4b61ce6b41de7b21fe9af20eaac22ebaa25eca727eea42aefa12cf09e2ff19b' +
  '32f29835f39438f4913cf58e3ff68a43f78746f8844af8804ef97d52fa7a55fa7659fb735dfc6f61fc6c65fd6969fd666dfe6271fe5f75fe5c79fe597dff5680ff5384ff5188ff4e8bff4b8fff4992ff4796fe4499fe429cfe409ffd3fa1fd3d' +
  'a4fc3ca7fc3aa9fb39acfb38affa37b1f936b4f836b7f735b9f635bcf534bef434c1f334c3f134c6f034c8ef34cbed34cdec34d0ea34d2e935d4e735d7e535d9e436dbe236dde037dfdf37e1dd37e3db38e5d938e7d739e9d539ebd339ecd13a' +
  'eecf3aefcd3af1cb3af2c93af4c73af5c53af6c33af7c13af8be39f9bc39faba39fbb838fbb637fcb336fcb136fdae35fdac34fea933fea732fea431fea130fe9e2ffe9b2dfe992cfe962bfe932afe9029fd8d27fd8a26fc8725fc8423fb8122' +
  'fb7e21fa7b1ff9781ef9751df8721cf76f1af66c19f56918f46617f36315f26014f15d13f05b12ef5811ed5510ec530feb500eea4e0de84b0ce7490ce5470be4450ae2430ae14109df3f08dd3d08dc3b07da3907d83706d63506d43305d23105' +
  'd02f05ce2d04cc2b04ca2a04c82803c52603c32503c12302be2102bc2002b91e02b71d02b41b01b21a01af1801ac1701a91601a71401a41301a112019e10019b0f01980e01950d01920b018e0a018b09028808028507028106027e05027a0403';

const VIRIDIS_HEX =
  '44015444025645045745055946075a46085c460a5d460b5e470d60470e6147106347116447136548146748166848176948186a481a6c481b6d481c6e481d6f481f70482071482173482374482475482576482677482878482979472a7a472c7a' +
  '472d7b472e7c472f7d46307e46327e46337f463480453581453781453882443983443a83443b84433d84433e85423f854240864241864142874144874045884046883f47883f48893e49893e4a893e4c8a3d4d8a3d4e8a3c4f8a3c508b3b518b' +
  '3b528b3a538b3a548c39558c39568c38588c38598c375a8c375b8d365c8d365d8d355e8d355f8d34608d34618d33628d33638d32648e32658e31668e31678e31688e30698e306a8e2f6b8e2f6c8e2e6d8e2e6e8e2e6f8e2d708e2d718e2c718e' +
  '2c728e2c738e2b748e2b758e2a768e2a778e2a788e29798e297a8e297b8e287c8e287d8e277e8e277f8e27808e26818e26828e26828e25838e25848e25858e24868e24878e23888e23898e238a8d228b8d228c8d228d8d218e8d218f8d21908d' +
  '21918c20928c20928c20938c1f948c1f958b1f968b1f978b1f988b1f998a1f9a8a1e9b8a1e9c891e9d891f9e891f9f881fa0881fa1881fa1871fa28720a38620a48621a58521a68522a78522a88423a98324aa8325ab8225ac8226ad8127ad81' +
  '28ae8029af7f2ab07f2cb17e2db27d2eb37c2fb47c31b57b32b67a34b67935b77937b87838b9773aba763bbb753dbc743fbc7340bd7242be7144bf7046c06f48c16e4ac16d4cc26c4ec36b50c46a52c56954c56856c66758c7655ac8645cc863' +
  '5ec96260ca6063cb5f65cb5e67cc5c69cd5b6ccd5a6ece5870cf5773d05675d05477d1537ad1517cd2507fd34e81d34d84d44b86d54989d5488bd6468ed64590d74393d74195d84098d83e9bd93c9dd93ba0da39a2da37a5db36a8db34aadc32' +
  'addc30b0dd2fb2dd2db5de2bb8de29bade28bddf26c0df25c2df23c5e021c8e020cae11fcde11dd0e11cd2e21bd5e21ad8e219dae319dde318dfe318e2e418e5e419e7e419eae51aece51befe51cf1e51df4e61ef6e620f8e621fbe723fde725';

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** (x, value) break points of one channel; linear in between. */
type Segments = readonly (readonly [number, number])[];

/** matplotlib `_jet_data` (red, green, blue). */
const JET_SEGMENTS: readonly [Segments, Segments, Segments] = [
  [
    [0, 0],
    [0.35, 0],
    [0.66, 1],
    [0.89, 1],
    [1, 0.5],
  ],
  [
    [0, 0],
    [0.125, 0],
    [0.375, 1],
    [0.64, 1],
    [0.91, 0],
    [1, 0],
  ],
  [
    [0, 0.5],
    [0.11, 1],
    [0.34, 1],
    [0.65, 0],
    [1, 0],
  ],
];

function sampleSegments(segments: Segments, x: number): number {
  for (let k = 1; k < segments.length; k++) {
    const [x1, y1] = segments[k]!;
    if (x <= x1) {
      const [x0, y0] = segments[k - 1]!;
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return segments[segments.length - 1]![1];
}

function jetTable(): Uint8Array {
  const out = new Uint8Array(COLORMAP_SIZE * 3);
  for (let i = 0; i < COLORMAP_SIZE; i++) {
    const x = i / (COLORMAP_SIZE - 1);
    for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.round(sampleSegments(JET_SEGMENTS[c]!, x) * 255);
  }
  return out;
}

/** RGB bytes, 3 per entry, entry 0 = the lowest value. */
export const COLORMAP_TABLES: Readonly<Record<ColormapName, Uint8Array>> = {
  turbo: fromHex(TURBO_HEX),
  viridis: fromHex(VIRIDIS_HEX),
  jet: jetTable(),
};

/** Table entry for t ∈ [0, 1] (clamped; NaN → 0): nearest of the 256 entries. */
export function colormapIndex(t: number): number {
  const x = t > 0 ? (t < 1 ? t : 1) : 0;
  return Math.round(x * (COLORMAP_SIZE - 1));
}

/** Writes the colour of t ∈ [0, 1] in `table` as 3 bytes at out[offset]. */
export function colormapInto(table: Uint8Array, t: number, out: Uint8Array, offset: number): void {
  const e = colormapIndex(t) * 3;
  out[offset] = table[e]!;
  out[offset + 1] = table[e + 1]!;
  out[offset + 2] = table[e + 2]!;
}

/** CSS linear-gradient of a table (colour bars, pickers). */
export function colormapCssGradient(name: ColormapName, stops = 16): string {
  const table = COLORMAP_TABLES[name];
  const parts: string[] = [];
  for (let s = 0; s <= stops; s++) {
    const e = colormapIndex(s / stops) * 3;
    parts.push(`rgb(${table[e]},${table[e + 1]},${table[e + 2]}) ${((s * 100) / stops).toFixed(1)}%`);
  }
  return `linear-gradient(to right, ${parts.join(', ')})`;
}
