/**
 * Region read rate: random 256x256 level-0 regions per second through each of
 * our readers (OpenSlide via koffi, pure-JS TIFF, DICOM) on the public slides,
 * and the same regions through Debian's python3-openslide, timed in the same
 * run.
 *
 * Both sides are treated alike: each first reads a few regions through a
 * handle it then closes (so one-time costs such as compiling code and loading
 * libraries stay out of the timing), then times the reads through a freshly
 * opened slide, so the tile cache starts cold. Each row is measured in
 * several rounds and reports medians. Wall-clock rates follow how busy the
 * machine is; rates per CPU-second (all threads of the process) are steadier
 * and show the work each side does per read.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  closeAllSlides,
  openSlide,
  type ReaderChoice,
} from '../src-main/slides/open-slide';

import { SHARED_DATA_DIR } from './shared-data';

const DATA = SHARED_DATA_DIR;
const REGION_PX = 256;
const READS = Number(process.env.BENCH_READS ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARM_UP_READS = 20;
const SLIDES: Array<{ file: string; readers: ReaderChoice[]; python: boolean }> = [
  { file: 'CMU-1-Small-Region.svs', readers: ['openslide', 'pure-js'], python: true },
  {
    file: 'CMU-1-Small-Region.pyramid.jpeg.tif',
    readers: ['openslide', 'pure-js'],
    python: true,
  },
  {
    file: 'CMU-1-Small-Region.crop1024.pyramid.ome.tif',
    readers: ['openslide', 'pure-js'],
    python: true,
  },
  { file: 'TCGA-CR-7395-01A-01-TS1.svs', readers: ['openslide'], python: true },
  { file: 'TCGA-XK-AAJU-small.dcm', readers: ['pure-js'], python: false },
];

type Region = [number, number];

/** Reads per wall-clock second and per CPU-second of one timed pass. */
interface Rates {
  wallPerS: number;
  cpuPerS: number;
}

/** Deterministic region origins, so every reader reads the same regions. */
function regionsFor(widthPx: number, heightPx: number): Region[] {
  let seed = 20_240_607;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: READS }, () => [
    Math.floor(next() * Math.max(1, widthPx - REGION_PX)),
    Math.floor(next() * Math.max(1, heightPx - REGION_PX)),
  ]);
}

async function readAll(file: string, reader: ReaderChoice, regions: Region[]) {
  const slide = await openSlide(path.join(DATA, 'slides', file), {
    reader,
    useCache: false,
  });
  const startedMs = performance.now();
  const startedCpu = process.cpuUsage();
  for (const [baseX, baseY] of regions) {
    const size = { widthPx: REGION_PX, heightPx: REGION_PX };
    await slide.readRegion({ level: 0, baseX, baseY, ...size });
  }
  const cpu = process.cpuUsage(startedCpu);
  const rates: Rates = {
    wallPerS: regions.length / ((performance.now() - startedMs) / 1000),
    cpuPerS: regions.length / ((cpu.user + cpu.system) / 1e6),
  };
  await slide.close();
  return { rates, kind: slide.info.reader };
}

async function regionsOf(file: string, reader: ReaderChoice): Promise<Region[]> {
  const slide = await openSlide(path.join(DATA, 'slides', file), {
    reader,
    useCache: false,
  });
  await slide.close();
  return regionsFor(slide.info.widthPx, slide.info.heightPx);
}

/**
 * python-openslide runs as one long-lived process that times each request the way
 * a fresh process did: a warm-up through a handle it closes, then the timed reads
 * through a newly opened one. It is started once, before anything is timed,
 * because starting a process per round forks this one: the fork write-protects
 * every page of this process for copy-on-write, so the round timed after it paid
 * a page fault on its first write to each page of its heap - about 55 faults per
 * read on CMU-1 against 0-3 without the fork, 5-10 % of its CPU time - while
 * python's own timing never followed a fork.
 */
const PYTHON_READER = `
import json, sys, time, openslide
def read_all(path, size, regions):
    slide = openslide.OpenSlide(path)
    wall, cpu = time.perf_counter(), time.process_time()
    for x, y in regions:
        slide.read_region((x, y), 0, (size, size))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    slide.close()
    return {'wallPerS': len(regions) / wall, 'cpuPerS': len(regions) / cpu}
for line in sys.stdin:
    request = json.loads(line)
    path, size, regions = request['path'], request['size'], request['regions']
    read_all(path, size, regions[:request['warmUp']])
    print(json.dumps(read_all(path, size, regions)), flush=True)
`;

/** The python-openslide process, or `null` where python3 or openslide is missing. */
interface PythonReader {
  measure(file: string, regions: Region[]): Promise<Rates | null>;
  close(): void;
}

function startPython(): PythonReader | null {
  if (!existsSync('/usr/bin/python3')) return null;
  const child = spawn('/usr/bin/python3', ['-c', PYTHON_READER], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<null>((resolve) => child.once('exit', () => resolve(null)));
  // A broken pipe means python has stopped (openslide missing, say): the next
  // request then finds it exited and reports no rates.
  child.stdin.on('error', () => child.kill());
  return {
    async measure(file, regions) {
      const request = { path: path.join(DATA, 'slides', file), size: REGION_PX, regions };
      child.stdin.write(`${JSON.stringify({ ...request, warmUp: WARM_UP_READS })}\n`);
      const line = await Promise.race([lines.next(), exited]);
      if (!line || line.done) return null;
      const rates = JSON.parse(line.value) as Rates;
      return rates.wallPerS > 0 && rates.cpuPerS > 0 ? rates : null;
    },
    close: () => child.stdin.end(),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? sorted[middle]!
    : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function medianRates(rounds: Rates[]): Rates {
  return {
    wallPerS: median(rounds.map((r) => r.wallPerS)),
    cpuPerS: median(rounds.map((r) => r.cpuPerS)),
  };
}

/** Times one reader on one slide, and python-openslide on the same regions, in rounds. */
async function measure(file: string, reader: ReaderChoice, python: PythonReader | null) {
  const regions = await regionsOf(file, reader);
  const ours: Rates[] = [];
  const reference: Rates[] = [];
  let kind = '';

  for (let round = 0; round < ROUNDS; round++) {
    // Python warms up right before each of its timed passes; so does this side,
    // rather than only before its first, so neither starts a pass on caches the
    // other has just filled.
    await readAll(file, reader, regions.slice(0, WARM_UP_READS));
    const result = await readAll(file, reader, regions);
    ours.push(result.rates);
    kind = result.kind;
    const pythonRates = python ? await python.measure(file, regions) : null;
    if (pythonRates) reference.push(pythonRates);
  }
  const pythonMedian = reference.length === ROUNDS ? medianRates(reference) : null;
  return { kind, ours: medianRates(ours), python: pythonMedian };
}

function row(file: string, result: Awaited<ReturnType<typeof measure>>) {
  const { kind, ours, python: reference } = result;
  const text = (value: number | undefined, digits = 1) =>
    value === undefined ? 'n/a' : value.toFixed(digits);
  const ratio = (ourRate: number, pythonRate: number | undefined) =>
    text(pythonRate === undefined ? undefined : ourRate / pythonRate, 2);
  return {
    slide: file,
    reader: kind,
    'ours reads/s': text(ours.wallPerS),
    'python reads/s': text(reference?.wallPerS),
    'ratio wall': ratio(ours.wallPerS, reference?.wallPerS),
    'ours reads/CPU-s': text(ours.cpuPerS),
    'python reads/CPU-s': text(reference?.cpuPerS),
    'ratio CPU': ratio(ours.cpuPerS, reference?.cpuPerS),
  };
}

async function main(): Promise<void> {
  if (!existsSync(path.join(DATA, 'slides'))) {
    console.log(`No shared data at ${DATA}; nothing to measure.`);
    return;
  }
  const python = startPython();
  const rows: Array<Record<string, string>> = [];
  for (const { file, readers, python: hasPython } of SLIDES) {
    for (const reader of readers)
      rows.push(row(file, await measure(file, reader, hasPython ? python : null)));
  }
  python?.close();
  await closeAllSlides();
  console.log(
    `${READS} random ${REGION_PX}x${REGION_PX} level-0 reads per row, sequential, cold tile cache;` +
      ` median of ${ROUNDS} rounds, each side warmed up on ${WARM_UP_READS} reads` +
      ' before each.',
  );
  console.table(rows);
}

await main();
