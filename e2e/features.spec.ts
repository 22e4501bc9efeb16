import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, waitForDrawn } from './helpers.ts';

/**
 * Features computed in the background as soon as a capture is shown: the student's for the demo set
 * (with a "features ready" state and where they come from), the teacher's — automatically, with
 * per-object progress — for a set that has no student; a query typed meanwhile waits for that work.
 */

/** The studio's manifest plus "no-student": the demo's text and image models and no 3D student (bundled, nothing downloads). */
function manifestWithoutStudentSet(): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'models/manifest.json'), 'utf8')) as { modelSets: { id: string; student?: string }[] };
  const demo = manifest.modelSets.find((s) => s.id === 'demo')!;
  const set = { ...demo, id: 'no-student', label: 'Demo models without a student' };
  delete set.student;
  return JSON.stringify({ ...manifest, modelSets: [...manifest.modelSets, set] });
}

const state = (page: Page) => page.getByTestId('features-state');

test.describe('features ahead of the first query', () => {
  test('the demo set computes the student features before anyone types, and says so', async ({ page }) => {
    await page.goto('./?backend=wasm');
    await expect(state(page)).toHaveAttribute('data-features-ready', 'true');
    await expect(state(page)).toHaveText('features ready');
    await expect(state(page)).toHaveAttribute('data-runtime-ready', 'true');
    await expect(page.getByTestId('features-from')).toHaveText('features from: student student3d-tiny-trained');
    await page.getByTestId('query-input').fill('blue ball');
    await page.getByTestId('query-input').press('Enter');
    await waitForDrawn(page);
    // The student ran before the query: the query's own stages do not include it.
    await expect(page.getByTestId('query-time')).toHaveAttribute('title', /student 0 ms/);
  });

  test('a set without a student runs the teacher by itself; a query typed meanwhile waits for it and answers on its features', async ({ page }) => {
    await page.route('**/models/manifest.json', (route) => route.fulfill({ contentType: 'application/json', body: manifestWithoutStudentSet() }));
    await page.goto('./?backend=wasm&models=no-student');
    await expect(state(page)).toHaveAttribute('data-phase', 'teacher');
    await expect(state(page)).toContainText('computing features with the teacher');
    // Typed while the teacher runs: answered once the teacher's features are ready, on them.
    await page.getByTestId('query-input').fill('blue ball');
    await page.getByTestId('query-input').press('Enter');
    await expect(state(page)).toHaveAttribute('data-features-ready', 'true', { timeout: 120_000 });
    await expect(page.getByTestId('features-from')).toHaveText(/^features from: teacher \(\d+ objects, 4 views\)$/);
    await expect(page.getByTestId('query-time')).toBeVisible();
    await waitForDrawn(page);
    expect(await page.getByTestId('error').count()).toBe(0);
    const objects = Number(/teacher \((\d+) objects/.exec((await page.getByTestId('features-from').textContent())!)![1]);
    await expect(page.getByTestId('teacher-summary')).toContainText(`${objects} segments`);
  });

  test('after a teacher run on the demo set, the picker switches between student and teacher and the label follows', async ({ page }) => {
    await page.goto('./?backend=wasm');
    await expect(state(page)).toHaveAttribute('data-features-ready', 'true');
    await page.getByTestId('run-teacher').click();
    await expect(page.getByTestId('features-from')).toHaveText(/^features from: teacher \(\d+ objects, 4 views\)$/, { timeout: 120_000 });
    await page.getByTestId('feature-set').selectOption('student');
    await expect(page.getByTestId('features-from')).toHaveText('features from: student student3d-tiny-trained');
    await page.getByTestId('feature-set').selectOption('teacher');
    await expect(page.getByTestId('features-from')).toHaveText(/^features from: teacher/);
  });
});
