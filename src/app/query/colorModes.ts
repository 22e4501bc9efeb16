import type { ColorMode, FieldLensState } from '../store/store.ts';

/** Colour modes that have something to show for the current results (radio buttons, keys 1–6). */
export function availableColorModes(s: Pick<FieldLensState, 'layerInfo' | 'labelNames' | 'instances' | 'colorMode' | 'queryVersion' | 'similarityRange' | 'agreementInfo'>): ColorMode[] {
  return [
    'rgb',
    ...(s.layerInfo.length > 0 ? (['relevancy'] as const) : []),
    ...(s.labelNames.length > 0 ? (['labels'] as const) : []),
    ...(s.instances.length > 0 ? (['instances'] as const) : []),
    ...(s.colorMode === 'pca' || s.queryVersion > 0 ? (['pca'] as const) : []),
    ...(s.similarityRange ? (['similarity'] as const) : []),
    ...(s.agreementInfo ? (['agreement'] as const) : []),
  ];
}
