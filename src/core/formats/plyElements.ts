/**
 * The PLY elements other than `vertex` (faces, edges, cameras…): FieldLens does not read them, but
 * it walks them to be sure the file is what its header says (a wrong vertex count shows up as
 * face records of the wrong shape, or too few of them) and says in a warning that they were
 * ignored, so a mesh never loads as points without a word.
 */
import { FormatError } from './formatError.ts';
import type { AsciiRecords } from './plyColumns.ts';

/** What the walkers need of a parsed PLY element (ply.ts's header type satisfies it). */
export interface PlyElementShape {
  readonly name: string;
  readonly count: number;
  readonly properties: readonly { readonly kind: 'scalar' | 'list'; readonly name: string }[];
}

const elements = (n: number, name: string) => `${n.toLocaleString('en')} '${name}' element${n === 1 ? '' : 's'}`;

/**
 * Reads past one ascii element's records, checking each record's shape: one token per scalar
 * property, and per list property its length followed by that many items. `context` is appended
 * to the errors (e.g. the vertex count, when the element follows the vertices).
 */
export function skipAsciiElement(records: AsciiRecords, element: PlyElementShape, fileName: string, context = ''): void {
  const layout = element.properties.map((p) => (p.kind === 'list' ? `${p.name}: length + items` : p.name)).join(', ');
  for (let r = 0; r < element.count; r++) {
    const tokens = records.next();
    if (!tokens) {
      throw new FormatError(
        `${fileName}: truncated ascii PLY: the header declares ${elements(element.count, element.name)}, the data ends after ${r.toLocaleString('en')}${context}`,
      );
    }
    let expected = 0;
    for (const p of element.properties) {
      if (p.kind === 'scalar') {
        expected++;
        continue;
      }
      const length = Number(tokens[expected]);
      if (!Number.isInteger(length) || length < 0) {
        throw new FormatError(
          `${fileName}: line ${records.line} ('${element.name}' element ${r.toLocaleString('en')}): list '${p.name}' has length "${tokens[expected] ?? ''}", expected a whole number ≥ 0${context}`,
        );
      }
      expected += 1 + length;
    }
    if (expected !== tokens.length) {
      throw new FormatError(
        `${fileName}: line ${records.line} ('${element.name}' element ${r.toLocaleString('en')}) has ${tokens.length} values, expected ${expected} (${layout})${context}`,
      );
    }
  }
}

/** "mesh.ply: 12 'face' elements ignored — …", or null when every non-vertex element is empty. */
export function ignoredElementsWarning(fileName: string, all: readonly PlyElementShape[]): string | null {
  const ignored = all.filter((e) => e.name !== 'vertex' && e.count > 0);
  if (ignored.length === 0) return null;
  return `${fileName}: ${ignored.map((e) => elements(e.count, e.name)).join(', ')} ignored — FieldLens reads the vertices as points (faces and other elements are not drawn)`;
}
