// Node ESM resolve hook for training under plain Node: tfjs-core's ES-module build (the only one that
// ships the gradient kernels, dist/register_all_gradients.js) imports its own files without the
// ".js" extension, which bundlers and vitest accept but Node's ESM loader refuses. Retry those
// relative imports inside @tensorflow/ with ".js" (or "/index.js").
//   node --import tsx/esm --import ./models/student/tfjsNodeResolve.mjs models/student/train.ts
import { register } from 'node:module';

const hook = `
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const fromTfjs = context.parentURL?.includes('/@tensorflow/') && specifier.startsWith('.');
    if (!fromTfjs) throw error;
    try {
      return await next(specifier + '.js', context);
    } catch {
      return next(specifier + '/index.js', context);
    }
  }
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`, import.meta.url);
