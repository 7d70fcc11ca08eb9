/**
 * Overlay frame time in headless Chromium over a synthetic slide of 10^6 nuclei,
 * fully zoomed out, at mid zoom and at full resolution.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { launchChromium } from './chromium-launch';
import { serveStatic } from './static-server';

/** 100 x 100 tiles of 256 px with 100 nuclei each: 10^6 nuclei on a 25 600 px square. */
export const MILLION_NUCLEI_SLIDE = {
  tileSizePx: 256,
  tileColumns: 100,
  tileRows: 100,
  nucleiPerTile: 100,
  verticesPerNucleus: 16,
  mpp: 0.25,
};

/** What one zoom measured. */
export interface ZoomFigures {
  name: string;
  lod: string;
  drawnPolygons: number;
  drawnPoints: number;
  visibleNuclei: number;
  frameMs: number[];
  /** Same frames drawing nothing: the fixed cost of clear, read-back and compositing. */
  emptyFrameMs: number[];
}

const ZOOMS = [
  { name: 'fully zoomed out', screenPxPerBasePx: 1280 / 25_600 },
  { name: 'mid zoom', screenPxPerBasePx: 0.25 },
  { name: 'full resolution', screenPxPerBasePx: 1 },
];

async function buildHarness(outDir: string): Promise<void> {
  const root = fileURLToPath(new URL('./viewer-harness', import.meta.url));
  await build({
    root,
    base: './',
    logLevel: 'warn',
    configFile: false,
    build: { outDir, emptyOutDir: true },
  });
}

/** Builds the harness, opens it in Chromium and measures each zoom. */
export async function measureOverlayFrames(frames = 30): Promise<ZoomFigures[]> {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'cellvit-harness-'));
  await buildHarness(outDir);
  const server = await serveStatic(outDir);
  const launched = await launchChromium();
  try {
    const page = await launched.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${server.origin}/index.html`);
    await page.waitForFunction(() => Reflect.get(globalThis, 'harnessReady') === true);
    const results: ZoomFigures[] = [];
    for (const zoom of ZOOMS) {
      results.push(
        await page.evaluate(
          (args) =>
            (
              Reflect.get(globalThis, 'measureOverlayZoom') as (
                options: unknown,
              ) => Promise<ZoomFigures>
            )(args),
          {
            spec: MILLION_NUCLEI_SLIDE,
            name: zoom.name,
            screenPxPerBasePx: zoom.screenPxPerBasePx,
            frames,
          },
        ),
      );
    }
    return results;
  } finally {
    await launched.close();
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
