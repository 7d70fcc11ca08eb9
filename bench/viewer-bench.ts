/**
 * Viewer figures: viewport query latency over 10^6 nuclei, time from opening a
 * slide to its first tile, and nuclei-overlay frame time in headless Chromium
 * (SwiftShader) fully zoomed out, at mid zoom and at full resolution.
 *
 * Run alone with `npx tsx bench/viewer-bench.ts`, or with every bench via
 * `npm run bench`. Frame times include GPU completion (a 1-pixel read-back).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measureFirstTile } from './first-tile';
import { measureOverlayFrames, MILLION_NUCLEI_SLIDE } from './overlay-frames';
import { measureViewerQueries } from './viewer-queries';

const CMU1 = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../shared/data/slides/CMU-1-Small-Region.svs',
);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

async function overlayLines(): Promise<string[]> {
  const slideNuclei =
    MILLION_NUCLEI_SLIDE.tileColumns *
    MILLION_NUCLEI_SLIDE.tileRows *
    MILLION_NUCLEI_SLIDE.nucleiPerTile;
  const zooms = await measureOverlayFrames(30);
  return zooms.map(
    (zoom) =>
      `overlay frame, ${zoom.name} over ${slideNuclei} nuclei: ${zoom.lod}, ` +
      `${zoom.drawnPolygons} polygons + ${zoom.drawnPoints} points drawn of ${zoom.visibleNuclei} loaded; ` +
      `p50 ${percentile(zoom.frameMs, 0.5).toFixed(1)} ms, p95 ${percentile(zoom.frameMs, 0.95).toFixed(1)} ms ` +
      `(goal <= 16 ms; an empty frame costs p50 ${percentile(zoom.emptyFrameMs, 0.5).toFixed(1)} ms here)`,
  );
}

/** Runs the three measurements; the first-tile one needs ../shared/data. */
export async function run(): Promise<{ name: string; lines: string[] }> {
  const lines = [...measureViewerQueries()];
  lines.push(
    existsSync(CMU1)
      ? await measureFirstTile(CMU1)
      : `open to first tile: skipped, ${CMU1} is absent`,
  );
  lines.push(...(await overlayLines()));
  return { name: 'viewer', lines };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const report = await run();
  console.log(`${report.name}:\n  ${report.lines.join('\n  ')}`);
}
