/**
 * What the end-to-end steps measure on the page: screenshot differences, rectangles
 * the viewer publishes, the legend as drawn, nuclei found by clicking, and what the
 * page's content security policy does to requests for other hosts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './e2e-app';

/** Pixels that differ by more than a small tolerance between two screenshots. */
export async function differingPixels(a: Buffer, b: Buffer): Promise<number> {
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

/** `x,y,width,height` as the viewer writes it into data attributes. */
export function parseRect(text: string | null): {
  x: number;
  y: number;
  width: number;
  height: number;
} {
  const [x, y, width, height] = (text ?? '').split(',').map(Number);
  return { x: x ?? NaN, y: y ?? NaN, width: width ?? NaN, height: height ?? NaN };
}

/** A legend entry as the page draws it: its text and its swatch's colour. */
export interface DrawnLegendEntry {
  text: string;
  color: string;
}

/** The legend entries the embedded bundle's manifest calls for, untyped first. */
export function expectedLegend(): DrawnLegendEntry[] {
  const manifestPath = path.join(
    REPO_ROOT,
    'models',
    'cellvit-optimus-default',
    'manifest.json',
  );
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    nucleusClasses: { name: string; pannuke: string[]; color: string }[];
  };
  const entry = (name: string, pannuke: string[], colorHex: string) => ({
    text: `${name} ${pannuke.length ? `PanNuke: ${pannuke.join(', ')}` : 'no PanNuke class'}`,
    color: `rgb(${[1, 3, 5].map((at) => parseInt(colorHex.slice(at, at + 2), 16)).join(', ')})`,
  });
  return [
    entry('untyped', [], '#9e9e9e'),
    ...manifest.nucleusClasses.map((c) => entry(c.name, c.pannuke, c.color)),
  ];
}

/** The nuclei legend as drawn, in order. */
export function drawnLegend(page: Page): Promise<DrawnLegendEntry[]> {
  return page.locator('ul[aria-label="Nucleus types"] li').evaluateAll((items) =>
    items.map((item) => ({
      text: (item.textContent ?? '').replace(/\s+/g, ' ').trim(),
      color: getComputedStyle(item.querySelector('.swatch') as Element).backgroundColor,
    })),
  );
}

/**
 * Clicks a grid of points over the middle of the viewer until the inspector shows a
 * nucleus; points are 40 px apart and 400 ms apart so no two clicks make a
 * double-click zoom. Returns whether a nucleus was found.
 */
export async function clickUntilNucleus(page: Page): Promise<boolean> {
  const box = await page.locator('.viewer-frame').boundingBox();
  if (!box) return false;
  const heading = page.getByRole('region', { name: 'Nucleus' }).locator('h2');
  for (let row = -3; row <= 3; row += 1) {
    for (let col = -4; col <= 4; col += 1) {
      const x = box.x + box.width / 2 + col * 40;
      const y = box.y + box.height / 2 + row * 40;
      const answered = page.waitForResponse((r) => r.url().includes('/ipc/nuclei:at'));
      await page.mouse.click(x, y);
      await answered;
      await page.waitForTimeout(400);
      if (/of tile/.test(await heading.innerText())) return true;
    }
  }
  return false;
}

/** What the page saw when it tried to reach another host. */
export interface ExternalProbe {
  fetchError: string | null;
  isBeaconQueued: boolean;
  isSocketOpened: boolean;
  /** `<directive> <blocked URL>` of each CSP violation reported meanwhile. */
  violations: string[];
}

/**
 * Runs in the page: tries `fetch`, `navigator.sendBeacon` and a WebSocket to
 * `origin` and collects the CSP violations they cause. Self-contained, because
 * Playwright sends its source to the page.
 */
export async function probeExternalRequests(origin: string): Promise<ExternalProbe> {
  const violations: string[] = [];
  const onViolation = (event: SecurityPolicyViolationEvent) =>
    violations.push(`${event.effectiveDirective} ${event.blockedURI}`);
  document.addEventListener('securitypolicyviolation', onViolation);

  let fetchError: string | null = null;
  try {
    await fetch(`${origin}/fetch`, { cache: 'no-store' });
  } catch (error) {
    fetchError = String(error);
  }
  const isBeaconQueued = navigator.sendBeacon(`${origin}/beacon`, 'probe');
  const isSocketOpened = await new Promise<boolean>((resolve) => {
    try {
      const socket = new WebSocket(`${origin.replace(/^http/, 'ws')}/socket`);
      socket.onopen = () => resolve(true);
      socket.onerror = () => resolve(false);
      setTimeout(() => resolve(false), 3000);
    } catch {
      // Some browsers refuse a blocked URL in the constructor: not opened either.
      resolve(false);
    }
  });

  await new Promise((resolve) => setTimeout(resolve, 500));
  document.removeEventListener('securitypolicyviolation', onViolation);
  return { fetchError, isBeaconQueued, isSocketOpened, violations };
}
