/**
 * The real UI in headless Chromium over the loopback transport, on CMU-1 analysed
 * by the real pipeline. Steps share one page and run in order; each test checks one
 * behaviour and saves a screenshot under artifacts/e2e/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeWithData, sharedSlide } from '../support/shared-data';
import { REPO_ROOT, startE2eApp, type E2eApp } from './e2e-app';

const ARTIFACTS = path.join(REPO_ROOT, 'artifacts', 'e2e');
const VERDICT_WORDS = /Reliable|Review|Out-of-domain/;

async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** Pixels that differ by more than a small tolerance between two screenshots. */
async function differingPixels(a: Buffer, b: Buffer): Promise<number> {
  const [left, right] = await Promise.all(
    [a, b].map((png) => sharp(png).raw().toBuffer()),
  );
  let count = 0;
  for (let i = 0; i < Math.min(left!.length, right!.length); i += 3) {
    const delta =
      Math.abs(left![i]! - right![i]!) +
      Math.abs(left![i + 1]! - right![i + 1]!) +
      Math.abs(left![i + 2]! - right![i + 2]!);
    if (delta > 30) count++;
  }
  return count;
}

async function viewerShot(page: Page): Promise<Buffer> {
  return page.locator('.viewer-frame').screenshot();
}

function parseRect(text: string | null): {
  x: number;
  y: number;
  width: number;
  height: number;
} {
  const [x, y, width, height] = (text ?? '').split(',').map(Number);
  return { x: x ?? NaN, y: y ?? NaN, width: width ?? NaN, height: height ?? NaN };
}

describeWithData('the review workstation in Chromium', () => {
  let app: E2eApp;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    app = await startE2eApp({ slidePath: sharedSlide('CMU-1-Small-Region.svs') });
    page = app.page;
  }, 1_500_000);

  afterAll(async () => {
    await app?.close();
  });

  it('lists the analysed slide with its verdict and the intended use', async () => {
    const row = page.locator('.slide-row', { hasText: 'CMU-1-Small-Region.svs' });
    await row.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => row.locator('.verdict-badge').innerText())
      .toMatch(VERDICT_WORDS);
    await expect
      .poll(() => page.locator('.app-header .intended-use').innerText())
      .toMatch(/never diagnoses/);
    await snap(page, '01-library');
  });

  it('opens the slide and renders its tiles', async () => {
    await page
      .getByRole('button', { name: 'CMU-1-Small-Region.svs', exact: true })
      .click();
    const frame = page.locator('.viewer-frame');
    await expect
      .poll(async () => Number(await frame.getAttribute('data-tiles-loaded')), {
        timeout: 60_000,
      })
      .toBeGreaterThan(0);
    await page.waitForTimeout(1500);
    await snap(page, '02-viewer');
  });

  it('moves the viewport to an ROI when it is clicked', async () => {
    const frame = page.locator('.viewer-frame');
    const roi = page.locator('.roi-item').first();
    await roi.waitFor({ timeout: 30_000 });
    const roiRect = parseRect(await roi.getAttribute('data-base-rect'));
    await roi.locator('.roi-select').click();
    await expect
      .poll(
        async () => {
          const view = parseRect(await frame.getAttribute('data-view-base'));
          const centreX = roiRect.x + roiRect.width / 2;
          const centreY = roiRect.y + roiRect.height / 2;
          const isCentreVisible =
            centreX > view.x &&
            centreX < view.x + view.width &&
            centreY > view.y &&
            centreY < view.y + view.height;
          return isCentreVisible && view.width < roiRect.width * 2;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    await page.waitForTimeout(1500);
    await snap(page, '03-roi');
  });

  it('draws nuclei outlines over the tissue when zoomed in', async () => {
    const canvas = page.getByTestId('nuclei-canvas');
    await expect
      .poll(async () => Number(await canvas.getAttribute('data-drawn-polygons')), {
        timeout: 60_000,
      })
      .toBeGreaterThan(0);
    expect(await canvas.getAttribute('data-lod')).toMatch(/outlines|filled/);
    const withNuclei = await viewerShot(page);
    await page.getByRole('checkbox', { name: 'Nuclei', exact: true }).uncheck();
    await page.waitForTimeout(500);
    const withoutNuclei = await viewerShot(page);
    await page.getByRole('checkbox', { name: 'Nuclei', exact: true }).check();
    await page.waitForTimeout(500);
    expect(await differingPixels(withNuclei, withoutNuclei)).toBeGreaterThan(500);
    await snap(page, '04-nuclei');
  });

  it('shows the verdict heat map when its layer is switched on', async () => {
    const before = await viewerShot(page);
    await page.getByRole('checkbox', { name: 'Region verdict' }).check();
    await expect
      .poll(
        () => page.getByTestId('heatmap-canvas').getAttribute('data-visible-layers'),
        { timeout: 30_000 },
      )
      .toContain('verdict');
    await page.waitForTimeout(500);
    expect(await differingPixels(before, await viewerShot(page))).toBeGreaterThan(500);
    await snap(page, '05-heatmap');
  });

  it('records a slide decision and shows it in the audit trail', async () => {
    const auditRows = page.locator('.audit-table tbody tr');
    const rowsBefore = await auditRows.count();
    await page.getByRole('radio', { name: 'Agree with the triage', exact: true }).check();
    await page.locator('#review-comment').fill('Checked the ranked regions.');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await expect
      .poll(() => auditRows.count(), { timeout: 30_000 })
      .toBeGreaterThan(rowsBefore);
    await expect
      .poll(() => page.locator('.audit-table').innerText())
      .toMatch(/review|decision/i);
    await snap(page, '06-review');
  });
});
