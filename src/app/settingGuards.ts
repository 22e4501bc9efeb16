/**
 * Checks for setting values that arrive as plain strings (URL parameters, state files, result
 * PLYs), so only values the pickers know reach the store. Formulas and colour modes are checked
 * against their tables (core/query/formulaTable.ts, query/colorModes.ts).
 */
import type { PromptTemplateSet } from '../core/query/prompts.ts';
import type { BackendPreference } from '../infer/ortRuntime.ts';

export { isRelevancyKind } from '../core/query/formulaTable.ts';
export { COLOR_MODES, isColorMode } from './query/colorModes.ts';

const TEMPLATE_SETS: readonly string[] = ['single', 'semantic-abstraction', 'clip-ensemble'] satisfies PromptTemplateSet[];
/** The backend picker's choices, in its order. */
export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'webgpu', 'wasm'];

export const isTemplateSet = (v: unknown): v is PromptTemplateSet => typeof v === 'string' && TEMPLATE_SETS.includes(v);
export const isBackendPreference = (v: unknown): v is BackendPreference => typeof v === 'string' && (BACKEND_PREFERENCES as readonly string[]).includes(v);
