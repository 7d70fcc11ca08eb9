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
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
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

const PYTHON_READER = `
import json, sys, time, openslide
path, size, warm_up = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
regions = json.load(sys.stdin)
def read_all(regions):
    slide = openslide.OpenSlide(path)
    wall, cpu = time.perf_counter(), time.process_time()
    for x, y in regions:
        slide.read_region((x, y), 0, (size, size))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    slide.close()
    return {'wallPerS': len(regions) / wall, 'cpuPerS': len(regions) / cpu}
read_all(regions[:warm_up])
print(json.dumps(read_all(regions)))
`;

function python(file: string, regions: Region[]): Rates | null {
  if (!existsSync('/usr/bin/python3')) return null;
  const args = [
    path.join(DATA, 'slides', file),
    String(REGION_PX),
    String(WARM_UP_READS),
  ];
  const result = spawnSync('/usr/bin/python3', ['-c', PYTHON_READER, ...args], {
    input: JSON.stringify(regions),
    encoding: 'utf8',
  });
  if (result.status !== 0) return null;
  const rates = JSON.parse(result.stdout) as Rates;
  return rates.wallPerS > 0 && rates.cpuPerS > 0 ? rates : null;
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
async function measure(file: string, reader: ReaderChoice, hasPython: boolean) {
  const regions = await regionsOf(file, reader);
  await readAll(file, reader, regions.slice(0, WARM_UP_READS));
  const ours: Rates[] = [];
  const reference: Rates[] = [];
  let kind = '';

  for (let round = 0; round < ROUNDS; round++) {
    const result = await readAll(file, reader, regions);
    ours.push(result.rates);
    kind = result.kind;
    const pythonRates = hasPython ? python(file, regions) : null;
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
  const rows: Array<Record<string, string>> = [];
  for (const { file, readers, python: hasPython } of SLIDES) {
    for (const reader of readers)
      rows.push(row(file, await measure(file, reader, hasPython)));
  }
  await closeAllSlides();
  console.log(
    `${READS} random ${REGION_PX}x${REGION_PX} level-0 reads per row, sequential, cold tile cache;` +
      ` median of ${ROUNDS} rounds, each side warmed up on ${WARM_UP_READS} reads first.`,
  );
  console.table(rows);
}

await main();
