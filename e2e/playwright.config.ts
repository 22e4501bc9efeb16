import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests run in Debian's Chromium (Playwright's own browser download does not work
 * here) against the production build served by `vite preview` (COOP/COEP headers on).
 * Two projects: WebGPU enabled (SwiftShader adapter in headless CI) and WebGPU unavailable.
 */
const chromium = process.env.FIELDLENS_CHROMIUM ?? '/usr/bin/chromium';
const commonArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
];
const PORT = Number(process.env.FIELDLENS_E2E_PORT ?? 4179);

export default defineConfig({
  testDir: '.',
  timeout: 120_000,
  // A stuck run fails instead of holding CI: the whole suite takes ~10 min on 2 cores.
  globalTimeout: 30 * 60_000,
  expect: { timeout: 60_000 },
  // Two workers, one spec file each at a time: a test spends much of its time waiting (page loads,
  // model fetches, readiness signals), so two browsers keep both cores busy; every wait is on a
  // readiness signal, so a test passes with the other core busy.
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    viewport: { width: 1100, height: 700 },
    deviceScaleFactor: 1,
  },
  projects: [
    {
      name: 'webgpu',
      testIgnore: /no-webgpu\.spec\.ts/,
      use: { launchOptions: { executablePath: chromium, args: [...commonArgs, '--enable-unsafe-webgpu', '--enable-features=Vulkan'] } },
    },
    {
      name: 'no-webgpu',
      testMatch: /no-webgpu\.spec\.ts/,
      use: { launchOptions: { executablePath: chromium, args: [...commonArgs, '--disable-features=WebGPU'] } },
    },
  ],
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    cwd: '..',
  },
});
