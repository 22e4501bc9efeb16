import base from './playwright.config.ts';

/**
 * `npm run test:full-size` (not part of `npm test`): the full-size stand-in download, cache and
 * teacher run of e2e/fullSize.slow.ts, in the WebGPU-enabled Chromium project of the regular suite.
 */
export default {
  ...base,
  testMatch: /(fullSize|largeCloud)\.slow\.ts$/,
  timeout: 1_500_000,
  globalTimeout: 40 * 60_000,
  projects: base.projects?.filter((p) => p.name === 'webgpu').map((p) => ({ ...p, testIgnore: [], testMatch: /(fullSize|largeCloud)\.slow\.ts$/ })),
};
