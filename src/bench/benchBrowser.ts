/**
 * Chromium for the browser benchmarks (render.bench.ts, studioQuery.bench.ts): Debian's build at
 * /usr/bin/chromium or FIELDLENS_CHROMIUM. Software rendering (SwiftShader) by default, so figures
 * are comparable between runs here; `gpu` asks for the machine's GPU (ANGLE on Vulkan).
 * FIELDLENS_CHROMIUM_ARGS adds switches for an unusual machine (e.g. another ANGLE backend);
 * later switches win.
 */
import { chromium, type Browser } from '@playwright/test';

export function launchBenchChromium(gpu: boolean, extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.FIELDLENS_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--ignore-gpu-blocklist',
      ...extraArgs,
      ...(gpu ? ['--enable-gpu', '--use-angle=vulkan', '--enable-features=Vulkan'] : ['--use-angle=swiftshader', '--enable-unsafe-swiftshader']),
      ...(process.env.FIELDLENS_CHROMIUM_ARGS?.split(' ').filter(Boolean) ?? []),
    ],
  });
}
