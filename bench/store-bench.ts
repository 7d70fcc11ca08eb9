/**
 * Result store throughput and latency on a synthetic slide of about 10^6 nuclei:
 * nuclei stored per second (tile rows, chunks and R*Tree together, batches of
 * 64 tiles), and viewport query latency for views of about 1k and 10k nuclei
 * and for the whole-slide level-of-detail query. Wall time and this process's
 * CPU time are both reported: on a shared machine the wall-time tail measures
 * the other processes as much as the store.
 *
 * Run alone with `npx tsx bench/store-bench.ts`, or with every bench via
 * `npm run bench`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openStore, type ResultStore } from '../src-main/store/index';
import {
  syntheticClasses,
  syntheticSlideInput,
  syntheticTile,
  type SyntheticSlideSpec,
} from '../src-main/store/synthetic-results';

const SPEC: SyntheticSlideSpec = {
  tileSizePx: 256,
  tileColumns: 71,
  tileRows: 71,
  nucleiPerTile: 200,
  typeClassCount: 5,
  verticesPerNucleus: 16,
  seed: 7,
};
const BATCH_TILES = 64;
const QUERIES = 300;

function percentile(sortedMs: number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor(p * sortedMs.length))]!;
}

function createBenchAnalysis(store: ResultStore): number {
  const slide = store.upsertSlide(
    syntheticSlideInput('bench-slide', SPEC, { x: 0.25, y: 0.25, source: 'user' }),
  );
  return store.createAnalysis({
    slideId: slide.id,
    bundle: { id: 'bench', version: '1.0.0', sha256: '0'.repeat(64) },
    parameters: { bench: true },
    nucleusClasses: syntheticClasses(SPEC),
    appVersion: 'bench',
    siteProfileVersion: null,
    plannedTileCount: SPEC.tileColumns * SPEC.tileRows,
  }).id;
}

/** Commits every tile; only the commit calls are timed (generation is not). */
function measureWrites(store: ResultStore, analysisId: number) {
  const tileCount = SPEC.tileColumns * SPEC.tileRows;
  let committedMs = 0;
  let cpuMs = 0;
  let nuclei = 0;
  for (let first = 0; first < tileCount; first += BATCH_TILES) {
    const last = Math.min(tileCount, first + BATCH_TILES);
    const batch = Array.from({ length: last - first }, (_, k) =>
      syntheticTile(SPEC, first + k),
    );
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    nuclei += store.commitTileBatch(analysisId, batch).nucleusCount;
    committedMs += performance.now() - started;
    const cpu = process.cpuUsage(cpuStart);
    cpuMs += (cpu.user + cpu.system) / 1000;
  }
  return { nuclei, committedMs, cpuMs };
}

function measureQueries(
  label: string,
  query: (random: () => number) => number,
): { line: string; p95Ms: number } {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  let returned = 0;
  for (let i = 0; i < QUERIES; i++) {
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    returned += query(random);
    wallMs.push(performance.now() - started);
    const cpu = process.cpuUsage(cpuStart);
    cpuMs.push((cpu.user + cpu.system) / 1000);
  }
  wallMs.sort((a, b) => a - b);
  cpuMs.sort((a, b) => a - b);
  const p95 = percentile(wallMs, 0.95);
  const line =
    `${label}: wall p50 ${percentile(wallMs, 0.5).toFixed(2)} ms, p95 ${p95.toFixed(2)} ms; ` +
    `CPU p50 ${percentile(cpuMs, 0.5).toFixed(2)} ms, p95 ${percentile(cpuMs, 0.95).toFixed(2)} ms ` +
    `(${QUERIES} queries, mean ${Math.round(returned / QUERIES)} nuclei returned)`;
  return { line, p95Ms: p95 };
}

function viewportQuery(store: ResultStore, analysisId: number, edgePx: number) {
  const slideEdgePx = SPEC.tileColumns * SPEC.tileSizePx;
  return (random: () => number) => {
    const baseRect = {
      x: random() * (slideEdgePx - edgePx),
      y: random() * (slideEdgePx - edgePx),
      width: edgePx,
      height: edgePx,
    };
    return store.queryNucleiInViewport(analysisId, baseRect).nucleusCount;
  };
}

/** Runs the store benchmark on a fresh database in the system temp folder. */
export async function run(): Promise<{ name: string; lines: string[] }> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'cellvit-store-bench-'));
  const dbPath = path.join(folder, 'bench.db');
  const store = openStore(dbPath);
  try {
    const analysisId = createBenchAnalysis(store);
    const writes = measureWrites(store, analysisId);
    const perSecond = writes.nuclei / (writes.committedMs / 1000);
    const densityPerPx2 = SPEC.nucleiPerTile / SPEC.tileSizePx ** 2;
    const edgeFor = (nuclei: number) => Math.round(Math.sqrt(nuclei / densityPerPx2));
    const lines = [
      `stored ${writes.nuclei} nuclei in ${(writes.committedMs / 1000).toFixed(2)} s: ` +
        `${Math.round(perSecond)} nuclei/s wall, ` +
        `${Math.round(writes.nuclei / (writes.cpuMs / 1000))} nuclei/s of CPU, including the spatial index ` +
        `(batches of ${BATCH_TILES} tiles, ${SPEC.verticesPerNucleus} vertices a nucleus, ` +
        `database ${(statSync(dbPath).size / 2 ** 20).toFixed(0)} MiB)`,
      measureQueries(
        'viewport ~1k nuclei',
        viewportQuery(store, analysisId, edgeFor(1000)),
      ).line,
      measureQueries(
        'viewport ~10k nuclei',
        viewportQuery(store, analysisId, edgeFor(10000)),
      ).line,
      measureQueries('full-slide density (LOD)', () => {
        return store.queryNucleusDensity(analysisId, null).totalNuclei;
      }).line,
    ];
    return { name: 'store', lines };
  } finally {
    store.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run();
  for (const line of result.lines) console.log(`${result.name}: ${line}`);
}
