import { expect, test } from '@playwright/test';
import { encode } from 'fast-png';
import { dropFiles, syntheticFrame, waitForDrawn } from './helpers.ts';

test('a TUM-scaled frame on Auto is flagged beside the depth-units setting; the suggested scale clears it', async ({ page }) => {
  await page.goto('./');
  await waitForDrawn(page);
  // The file picker offers what the worker's capture-format registry reads.
  await expect(page.locator('input[type="file"][multiple]')).toHaveAttribute('accept', /(^|,)\.pcd(,|$)/);
  const { colour, intrinsics } = syntheticFrame(64, 48);
  // ~2.4 m stored in TUM's 1/5000 m: read as millimetres it is 12 m away. Varied low bits: a
  // constant multiple of 8 would read as SUN RGB-D's bit-rotated depth.
  const depth = encode({ width: 64, height: 48, data: Uint16Array.from({ length: 64 * 48 }, (_, i) => 11_990 + (i % 21)), depth: 16, channels: 1 });
  await dropFiles(page, [
    { name: 'rgb.png', mime: 'image/png', bytes: colour },
    { name: 'd.png', mime: 'image/png', bytes: depth },
    { name: 'camera.json', mime: 'application/json', bytes: intrinsics },
  ]);
  const warning = page.getByTestId('depth-scale-warning');
  await expect(warning).toHaveText(/d\.png: median depth 12\.0 m at 1000 units\/m — TUM RGB-D uses 5000: try 5000/);
  // Shown inside the capture settings, right after the depth-units control.
  await expect(page.locator('.capture-settings [data-testid="depth-scale-warning"]')).toBeVisible();
  await page.getByTestId('depth-scale-suggestion').click();
  await expect(page.getByTestId('depth-scale-preset')).toHaveValue('5000');
  await page.getByTestId('apply-settings').click();
  await expect(page.getByTestId('scene-description')).toContainText('5000 units/m');
  await expect(warning).toHaveCount(0);
});
