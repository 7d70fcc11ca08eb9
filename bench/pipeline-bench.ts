/**
 * The main job's speed on a real slide, measured in one run with the same bundle and
 * batch size:
 * - raw ONNX Runtime tiles/s on real tissue tiles of the slide (model only), with the
 *   analysis's ONNX Runtime threads and with one thread per core;
 * - end-to-end tiles/s of `runAnalysis` (read, resample, normalise, infer,
 *   post-process, assess, write) into a fresh database, and its ratio to the faster
 *   raw rate;
 * - processor time per tile (all threads), the share of busy time per stage, peak
 *   resident memory, nuclei stored;
 * - minutes per cm2 of analysed tissue (each tile's core counts once), over the whole
 *   run and at the steady rate between the first and the last committed batch (the
 *   rest is fixed time per slide: sessions, threads, tissue mask, triage), and what
 *   the model alone would take per cm2 at its faster raw rate.
 * The load average before and after shows how much other work shared the cores.
 * Usage: `npm run bench -- pipeline` (BENCH_SLIDE, BENCH_BUNDLE, BENCH_BATCH, and
 * BENCH_THREADS for ONNX Runtime threads or BENCH_WORKERS for finishing threads, which
 * default to the analysis's thread plan).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { defaultBundlePath } from '../src-main/analysis/default-bundle';
import { chooseMpp, chooseRegion, planTiles } from '../src-main/analysis/analysis-plan';
import { runAnalysis } from '../src-main/analysis/run-analysis';
import { readModelTile } from '../src-main/analysis/tile-reading';
import { loadBundle } from '../src-main/inference/bundle-loader';
import { NucleiEngine } from '../src-main/inference/engine';
import { BatchBuilder } from '../src-main/inference/preprocess';
import { openSlide } from '../src-main/slides/open-slide';
import { STAGES } from '../src-main/analysis/stage-clock';
import { planThreads } from '../src-main/analysis/thread-plan';
import { SHARED_DATA_DIR } from './shared-data';

const DATA = SHARED_DATA_DIR;
const SLIDE =
  process.env.BENCH_SLIDE ?? path.join(DATA, 'slides', 'CMU-1-Small-Region.svs');
const THREADS = planThreads({
  intraOpThreads: optionalNumber(process.env.BENCH_THREADS),
  finishingThreads: optionalNumber(process.env.BENCH_WORKERS),
});
const BATCH = Number(process.env.BENCH_BATCH ?? 4);
const RAW_BATCHES = Number(process.env.BENCH_RAW_BATCHES ?? 30);
const MICRONS2_PER_CM2 = 1e8;

function optionalNumber(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Number(text);
}

/** Real tiles of the slide at the model's scale, ready as one normalised batch. */
async function realBatch(bundlePath: string): Promise<Float32Array> {
  const reader = await openSlide(SLIDE, { useCache: false });
  const { manifest } = await loadBundle(bundlePath);
  const mpp = chooseMpp(reader.info, undefined);
  const { grid, tiles } = planTiles({
    info: reader.info,
    mpp,
    regionBase: chooseRegion(reader.info, undefined),
    manifest,
    tissue: null,
  });
  const tileSizePx = manifest.input.tileSizePx;
  const builder = new BatchBuilder(manifest.input.normalisation, tileSizePx, BATCH);
  const middle = Math.floor(tiles.length / 2);
  for (let i = 0; i < BATCH; i += 1) {
    const tile = tiles[middle + i] ?? tiles[i];
    if (!tile) throw new Error('The slide has fewer tiles than one batch.');
    const model = await readModelTile(reader, {
      baseRect: tile.baseRect,
      level: grid.level,
      tileSizePx,
    });
    builder.writeTile({ ...model.rgb, channels: 3 }, i);
  }
  await reader.close();
  return builder.view(BATCH).slice();
}

async function rawTilesPerSecond(bundlePath: string, threads: number): Promise<number> {
  const batch = await realBatch(bundlePath);
  const engine = await NucleiEngine.create(await loadBundle(bundlePath), {
    intraOpNumThreads: threads,
  });
  try {
    for (let i = 0; i < 3; i += 1) await engine.run(batch, BATCH);
    const startedMs = performance.now();
    for (let i = 0; i < RAW_BATCHES; i += 1) await engine.run(batch, BATCH);
    return (RAW_BATCHES * BATCH) / ((performance.now() - startedMs) / 1000);
  } finally {
    await engine.release();
  }
}

/**
 * Tiles per second between the first and the last committed batch: the rate a slide
 * keeps once the sessions, threads and tissue mask are set up, before the triage.
 */
function steadyRate(reports: { atMs: number; tilesDone: number }[]): number | null {
  const first = reports[0];
  const last = reports.at(-1);
  if (!first || !last || last.atMs <= first.atMs) return null;
  return (last.tilesDone - first.tilesDone) / ((last.atMs - first.atMs) / 1000);
}

async function endToEnd(bundlePath: string) {
  const folder = mkdtempSync(path.join(tmpdir(), 'cellvit-bench-'));
  const reports: { atMs: number; tilesDone: number }[] = [];
  try {
    const startedCpu = process.cpuUsage();
    const outcome = await runAnalysis(
      {
        slidePath: SLIDE,
        dbPath: path.join(folder, 'bench.db'),
        bundlePath,
        ...THREADS,
        batchSize: BATCH,
        isForced: true,
      },
      {
        onProgress: (progress) =>
          reports.push({ atMs: performance.now(), tilesDone: progress.tilesDone }),
      },
    );
    const cpu = process.cpuUsage(startedCpu);
    return {
      ...outcome,
      cpuMs: (cpu.user + cpu.system) / 1000,
      steadyTilesPerSecond: steadyRate(reports),
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

type Outcome = Awaited<ReturnType<typeof endToEnd>>;
type Manifest = Awaited<ReturnType<typeof loadBundle>>['manifest'];

/** Raw rates by ONNX Runtime threads: the analysis's, and one per core. */
type RawRates = Map<number, number>;

function printSetup(manifest: Manifest, outcome: Outcome): void {
  const { tileSizePx, targetMpp } = manifest.input;
  console.log(
    `slide: ${path.basename(SLIDE)} (mpp ${outcome.mpp.x}, ${outcome.mpp.source})`,
  );
  console.log(
    `bundle: ${manifest.id} ${manifest.version}, tile ${tileSizePx} px at ${targetMpp} ` +
      `mpp, batch ${BATCH}, ${THREADS.intraOpThreads} ONNX Runtime threads, ` +
      `${THREADS.finishingThreads} finishing threads, ${availableParallelism()} cores`,
  );
}

function printRates(manifest: Manifest, raw: RawRates, outcome: Outcome): void {
  const seconds = outcome.durationMs / 1000;
  const endToEndRate = outcome.tilesRun / seconds;
  const bestRaw = Math.max(...raw.values());
  const { tileSizePx, recommendedOverlapPx, targetMpp } = manifest.input;
  const coreMicrons = (tileSizePx - recommendedOverlapPx) * targetMpp;
  const tissueCm2 = (outcome.tilesRun * coreMicrons * coreMicrons) / MICRONS2_PER_CM2;

  console.table([
    ...[...raw].map(([threads, rate]) => ({
      measure: `raw ONNX Runtime tiles/s, ${threads} threads`,
      value: rate.toFixed(1),
    })),
    { measure: 'end-to-end tiles/s', value: endToEndRate.toFixed(1) },
    {
      measure: 'ratio end-to-end / faster raw',
      value: (endToEndRate / bestRaw).toFixed(3),
    },
    ...steadyRows(outcome, bestRaw, tissueCm2),
    { measure: 'tiles analysed', value: String(outcome.tilesRun) },
    { measure: 'nuclei stored', value: String(outcome.nucleusCount) },
    { measure: 'wall time, s', value: seconds.toFixed(1) },
    {
      measure: 'processor time per tile, ms',
      value: (outcome.cpuMs / outcome.tilesRun).toFixed(1),
    },
    {
      measure: 'cores busy on average',
      value: (outcome.cpuMs / outcome.durationMs).toFixed(2),
    },
    { measure: 'tissue analysed, cm2', value: tissueCm2.toFixed(4) },
    {
      measure: 'minutes per cm2 of tissue',
      value: (seconds / 60 / tissueCm2).toFixed(2),
    },
    {
      // What the model alone would take at its faster raw rate: a floor for this
      // bundle on these cores, whatever the rest of the pipeline costs.
      measure: 'minutes per cm2, model alone at the faster raw rate',
      value: (outcome.tilesRun / bestRaw / 60 / tissueCm2).toFixed(2),
    },
    {
      measure: 'peak resident memory, MiB',
      value: (outcome.peakRssBytes / 2 ** 20).toFixed(0),
    },
  ]);
}

/**
 * The rate once a slide is under way, and what it means per cm2: on a small slide the
 * fixed time (sessions, threads, tissue mask, triage) weighs on the wall-time rate,
 * which a slide of several cm2 would spread over thousands of tiles.
 */
function steadyRows(outcome: Outcome, bestRaw: number, tissueCm2: number) {
  const steady = outcome.steadyTilesPerSecond;
  if (steady === null) return [];
  const seconds = outcome.durationMs / 1000;
  const fixedSeconds = seconds - outcome.tilesRun / steady;
  return [
    {
      measure: 'steady tiles/s (first to last committed batch)',
      value: steady.toFixed(1),
    },
    { measure: 'ratio steady / faster raw', value: (steady / bestRaw).toFixed(3) },
    {
      measure: 'minutes per cm2 at the steady rate',
      value: (outcome.tilesRun / steady / 60 / tissueCm2).toFixed(2),
    },
    {
      measure: 'fixed time per slide (set-up, triage), s',
      value: fixedSeconds.toFixed(1),
    },
  ];
}

function printStages(outcome: Outcome): void {
  const busyMs = STAGES.reduce((sum, stage) => sum + outcome.stageTimesMs[stage], 0);
  console.log(
    'busy time per stage (stages overlap; post-process and assess add up over the ' +
      'finishing threads; read includes waits for the thread ONNX Runtime holds; ' +
      'shares are of the summed busy time):',
  );
  console.table(
    STAGES.map((stage) => ({
      stage,
      'busy s': (outcome.stageTimesMs[stage] / 1000).toFixed(2),
      share: `${((100 * outcome.stageTimesMs[stage]) / busyMs).toFixed(1)} %`,
    })),
  );
}

function formatLoad(): string {
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
}

async function main(): Promise<void> {
  const bundlePath = process.env.BENCH_BUNDLE ?? defaultBundlePath();
  const { manifest } = await loadBundle(bundlePath);
  const loadBefore = formatLoad();
  const raw: RawRates = new Map();
  for (const threads of new Set([THREADS.intraOpThreads, availableParallelism()])) {
    raw.set(threads, await rawTilesPerSecond(bundlePath, threads));
  }
  const outcome = await endToEnd(bundlePath);

  printSetup(manifest, outcome);
  console.log(`load average (1, 5, 15 min): before ${loadBefore}, after ${formatLoad()}`);
  printRates(manifest, raw, outcome);
  printStages(outcome);
}

await main();
