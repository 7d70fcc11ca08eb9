/**
 * The real UI in headless Chromium over the loopback transport, on CMU-1 analysed
 * by the real pipeline. Steps share one page and run in order; each test checks one
 * behaviour and saves a screenshot under artifacts/e2e/. Every network attempt of
 * the browser is recorded from launch, and the last step checks them all.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CONFORMAL_COVERAGE_STATEMENT } from '../../src-shared/verdict';
import { describeWithData, sharedSlide } from '../support/shared-data';
import {
  clickUntilNucleus,
  differingPixels,
  drawnLegend,
  expectedLegend,
  parseRect,
  probeExternalRequests,
} from './e2e-checks';
import { REPO_ROOT, startE2eApp, type E2eApp, type RecordedRequest } from './e2e-app';

const ARTIFACTS = path.join(REPO_ROOT, 'artifacts', 'e2e');
const VERDICT_WORDS = /Reliable|Review|Out-of-domain/;
const COLD_START_TEXT =
  'Cold start: thresholds are conservative defaults, not yet fitted to this site';
/** A host outside the workstation; nothing may ever reach it. */
const EXTERNAL_ORIGIN = 'https://example.org';

async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

async function viewerShot(page: Page): Promise<Buffer> {
  return page.locator('.viewer-frame').screenshot();
}

/** Same origin as the loopback server, or page-local data (`data:`, `blob:`). */
function isLoopback(request: RecordedRequest, serverOrigin: string): boolean {
  const url = new URL(request.url);
  if (url.protocol === 'data:' || url.protocol === 'blob:') return true;
  return url.origin === serverOrigin;
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
    await expect
      .poll(
        () =>
          row
            .locator('img.thumbnail')
            .evaluate((img: HTMLImageElement) => img.naturalWidth),
        {
          timeout: 30_000,
        },
      )
      .toBeGreaterThan(0);
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

  it("shows the bundle's class names, colours and PanNuke mappings in the legend", async () => {
    await expect
      .poll(() => drawnLegend(page), { timeout: 10_000 })
      .toEqual(expectedLegend());
  });

  it('says the thresholds are cold-start defaults when the site profile is', async () => {
    const notice = page.getByRole('note', { name: 'Site profile' });
    await expect.poll(() => notice.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await notice.innerText()).toContain(COLD_START_TEXT);
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

  it('shows a clicked nucleus with class probabilities summing to 1 and the coverage', async () => {
    expect(await clickUntilNucleus(page)).toBe(true);
    const inspector = page.getByRole('region', { name: 'Nucleus' });
    const rows = await inspector.locator('table.probabilities tbody tr').allInnerTexts();
    const names = expectedLegend()
      .slice(1)
      .map((entry) => entry.text.split(' ')[0]);
    expect(rows.map((row) => row.split('\t')[0])).toEqual(names);
    const percent = rows.reduce(
      (sum, row) => sum + Number(/([\d.]+)%/.exec(row)?.[1]),
      0,
    );
    expect(Math.abs(percent - 100)).toBeLessThan(0.3);
    expect(await inspector.getByRole('note', { name: 'Coverage' }).innerText()).toBe(
      CONFORMAL_COVERAGE_STATEMENT,
    );
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

  it('records a slide decision, chosen by the user, and shows it in the audit trail', async () => {
    const panel = page.locator('.review-panel');
    const record = panel.getByRole('button', { name: 'Record decision' });
    expect(await panel.getByRole('radio', { checked: true }).count()).toBe(0);
    expect(await record.isDisabled()).toBe(true);

    await panel
      .getByRole('radio', { name: 'Agree with the triage', exact: true })
      .check();
    expect(await record.isEnabled()).toBe(true);
    await panel.locator('#review-comment').fill('Checked the ranked regions.');
    await panel.locator('.audit-table[aria-busy="false"]').waitFor({ timeout: 30_000 });
    const auditRows = panel.locator('.audit-table tbody tr');
    const rowsBefore = await auditRows.count();
    await record.click();

    await expect
      .poll(() => panel.locator('.audit-table tbody').innerText(), { timeout: 30_000 })
      .toContain('review.slide.recorded');
    expect(await auditRows.count()).toBeGreaterThan(rowsBefore);
    await panel.scrollIntoViewIfNeeded();
    await snap(page, '06-review');
  });

  it('lets the content security policy block the page from reaching other hosts', async () => {
    const recordedBefore = app.requests.length;

    const probe = await page.evaluate(probeExternalRequests, EXTERNAL_ORIGIN);

    expect(probe.fetchError).toMatch(/Failed to fetch/);
    expect(probe.isSocketOpened).toBe(false);
    for (const target of ['fetch', 'beacon', 'socket']) {
      const violation = probe.violations.find((v) => v.includes(`example.org/${target}`));
      expect(violation, `a CSP violation for ${target}`).toMatch(/^connect-src /);
    }
    const origin = new URL(app.url).origin;
    const reached = app.requests
      .slice(recordedBefore)
      .filter((request) => !isLoopback(request, origin) && request.failure === null);
    expect(reached).toEqual([]);
  });

  it('sent every request of the whole run to the loopback server only', () => {
    const server = new URL(app.url);
    expect(server.hostname).toBe('127.0.0.1');
    expect(server.port).not.toBe('');
    expect(app.requests.length).toBeGreaterThan(20);

    const elsewhere = app.requests.filter((r) => !isLoopback(r, server.origin));

    expect(elsewhere).toEqual([]);
  });
});
