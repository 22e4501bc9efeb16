/** Shared timing for the async benchmark scripts: one warm-up run, then the median of `runs`. */
export async function medianMs(runs: number, task: () => unknown): Promise<number> {
  await task();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await task();
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}
