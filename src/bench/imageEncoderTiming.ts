/**
 * Image-encoder latency for the benchmarks: ms per 224×224 crop of a manifest's clip-image model
 * (median of `rounds` batches after a warm-up), on the backend the model source names.
 */
import { mulberry32 } from '../core/synth/prng.ts';
import { ClipImageEncoder, type ModelSource } from '../infer/loadedModels.ts';

export async function imageEncoderMsPerCrop(source: ModelSource, batch: number, rounds: number) {
  const encoder = await ClipImageEncoder.load(source);
  const size = encoder.entry.imagePreprocess!.size;
  const random = mulberry32(5);
  const pixels = Float32Array.from({ length: batch * 3 * size * size }, () => random() * 4 - 2);
  await encoder.encode(pixels, batch);
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await encoder.encode(pixels, batch);
    times.push((performance.now() - t0) / batch);
  }
  await encoder.release();
  const msPerCrop = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  return { id: encoder.entry.id, file: encoder.entry.file, backend: encoder.backend, batch, rounds, msPerCrop };
}
