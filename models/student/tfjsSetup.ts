/**
 * TensorFlow.js for student training under Node: the pure-JS CPU backend (no native bindings, so
 * it installs and runs everywhere CI does). Import `tf` from here so the backend is set once.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// Training needs the gradient kernels, which tfjs-core registers only on request.
import '@tensorflow/tfjs-core/dist/register_all_gradients';

let ready: Promise<void> | null = null;

/** Selects the CPU backend (idempotent); await before the first op. */
export function tfReady(): Promise<void> {
  ready ??= tf.setBackend('cpu').then((ok) => {
    if (!ok) throw new Error('tfjs: the CPU backend could not be initialised');
  });
  return ready;
}

export { tf };
