/**
 * Checks for setting values that arrive as plain strings (URL parameters, state files, result
 * PLYs), so only values the pickers know reach the store.
 */
import type { RelevancyKind } from '../core/query/formulas.ts';
import type { PromptTemplateSet } from '../core/query/prompts.ts';
import type { BackendPreference } from '../infer/ortRuntime.ts';
import type { ColorMode } from './store/store.ts';

const RELEVANCY_KINDS: readonly string[] = ['cosine', 'lerf', 'paired-softmax'] satisfies RelevancyKind[];
const TEMPLATE_SETS: readonly string[] = ['single', 'semantic-abstraction', 'clip-ensemble'] satisfies PromptTemplateSet[];
export const COLOR_MODES: readonly ColorMode[] = ['rgb', 'relevancy', 'labels', 'instances', 'pca', 'similarity'];
/** The backend picker's choices, in its order. */
export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'webgpu', 'wasm'];

export const isRelevancyKind = (v: unknown): v is RelevancyKind => typeof v === 'string' && RELEVANCY_KINDS.includes(v);
export const isTemplateSet = (v: unknown): v is PromptTemplateSet => typeof v === 'string' && TEMPLATE_SETS.includes(v);
export const isColorMode = (v: unknown): v is ColorMode => typeof v === 'string' && (COLOR_MODES as readonly string[]).includes(v);
export const isBackendPreference = (v: unknown): v is BackendPreference => typeof v === 'string' && (BACKEND_PREFERENCES as readonly string[]).includes(v);
