/**
 * The big typed arrays the page draws, kept OUT of React/zustand state. The store holds only
 * version numbers; components read these when a version moves.
 *
 * Sole writer: src/app/store/actions.ts. Arrays are replaced, never mutated, so a reader that
 * captured one keeps a consistent snapshot.
 */
export interface CloudBuffers {
  readonly count: number;
  readonly positions: Float32Array;
  readonly colors: Uint8Array;
}

export const drawBuffers: {
  cloud: CloudBuffers | null;
  /** Relevancy per point of `cloud`, or null when no query result belongs to it. */
  relevancy: Float32Array | null;
} = { cloud: null, relevancy: null };
