/**
 * The preparation of the current scene's features (featuresSlice.ts) as a promise that model tasks
 * await before they run: a query typed while the student or the teacher computes the features waits
 * for that work instead of failing or starting it again. Kept apart from the slice so that the
 * query slice can wait on it without importing the teacher's actions. The promise never rejects.
 */
let pending: Promise<void> = Promise.resolve();

export function setFeaturesPending(work: Promise<unknown>): void {
  pending = work.then(
    () => undefined,
    () => undefined,
  );
}

/** Resolves once the latest preparation has ended (also one that started while waiting). */
export async function featuresSettled(): Promise<void> {
  let seen: Promise<void>;
  do {
    seen = pending;
    await seen;
  } while (seen !== pending);
}
