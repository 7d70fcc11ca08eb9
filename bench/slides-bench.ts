/**
 * Region read rate: random 256x256 level-0 regions per second through each of
 * our readers (OpenSlide via koffi, pure-JS TIFF, DICOM) on the public slides,
 * and the same regions through Debian's python3-openslide, timed in the same
 * run.
 *
 * Both sides are treated alike. Each first reads a few regions through a handle
 * it then closes (so one-time costs such as compiling code and loading
 * libraries stay out of the timing), then reads all regions through a freshly
 * opened slide, so the tile cache starts cold. The two sides take turns in
 * chunks of a few dozen reads, which side goes first alternating, so that both
 * sample the same moments of a machine whose speed drifts from second to
 * second; each side's time is summed over its chunks. Our reads go into one
 * buffer kept across reads (the `into` option, as a caller reading tile after
 * tile would), as python-openslide frees each read's buffer once its image is
 * dropped, so that its next read's allocation reuses the block. Each row is
 * measured in several rounds and reports medians. Wall-clock rates follow how
 * busy the machine is; rates per CPU-second (all threads of the process) show
 * the work each side does per read.
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
import type { SlideReader } from '../src-main/slides/slide-reader';

import { SHARED_DATA_DIR } from './shared-data';

const DATA = SHARED_DATA_DIR;
const REGION_PX = 256;
const READS = Number(process.env.BENCH_READS ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARM_UP_READS = 20;
const READS_PER_TURN = 25;
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

/** Time one side spent on its reads. */
interface Spent {
  wallS: number;
  cpuS: number;
}

/** Reads per wall-clock second and per CPU-second of one timed pass. */
interface Rates {
  wallPerS: number;
  cpuPerS: number;
}

/** One side of the comparison: a slide it opens, reads from and closes. */
interface Side {
  open(file: string): Promise<void>;
  read(regions: Region[]): Promise<Spent>;
  close(): Promise<void>;
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

/** Our side: `reader` reading into one reused buffer. */
function ourSide(reader: ReaderChoice): Side & { kind: () => string } {
  const into = new Uint8Array(REGION_PX * REGION_PX * 3);
  let slide: SlideReader | null = null;
  let kind = '';
  return {
    kind: () => kind,
    async open(file) {
      slide = await openSlide(path.join(DATA, 'slides', file), {
        reader,
        useCache: false,
      });
      kind = slide.info.reader;
    },
    async read(regions) {
      const startedMs = performance.now();
      const startedCpu = process.cpuUsage();
      for (const [baseX, baseY] of regions) {
        const size = { widthPx: REGION_PX, heightPx: REGION_PX };
        await slide!.readRegion({ level: 0, baseX, baseY, ...size }, { into });
      }
      const cpu = process.cpuUsage(startedCpu);
      return {
        wallS: (performance.now() - startedMs) / 1000,
        cpuS: (cpu.user + cpu.system) / 1e6,
      };
    },
    async close() {
      await slide?.close();
      slide = null;
    },
  };
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
 * python-openslide runs as one long-lived process, started once before anything
 * is timed: starting a process per round forks this one, and the fork
 * write-protects every page of this process for copy-on-write, so the reads timed
 * after it paid a page fault on their first write to each page of the heap -
 * about 55 faults per read on CMU-1 against 0-3 without the fork, 5-10 % of its
 * CPU time - while python's own timing never followed a fork.
 */
const PYTHON_READER = `
import json, sys, time, openslide
slide = None
for line in sys.stdin:
    request = json.loads(line)
    reply = {}
    if request['op'] == 'open':
        slide = openslide.OpenSlide(request['path'])
    elif request['op'] == 'read':
        size = request['size']
        wall, cpu = time.perf_counter(), time.process_time()
        for x, y in request['regions']:
            slide.read_region((x, y), 0, (size, size))
        reply = {'wallS': time.perf_counter() - wall, 'cpuS': time.process_time() - cpu}
    else:
        slide.close()
        slide = None
    print(json.dumps(reply), flush=True)
`;

/** The python-openslide side, or `null` where python3 or openslide is missing. */
function startPython(): (Side & { stop(): void }) | null {
  if (!existsSync('/usr/bin/python3')) return null;
  const child = spawn('/usr/bin/python3', ['-c', PYTHON_READER], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<null>((resolve) => child.once('exit', () => resolve(null)));
  // A broken pipe means python has stopped (openslide missing, say): the next
  // request then finds it exited.
  child.stdin.on('error', () => child.kill());
  const ask = async (request: object): Promise<Record<string, number>> => {
    child.stdin.write(`${JSON.stringify(request)}\n`);
    const line = await Promise.race([lines.next(), exited]);
    if (!line || line.done) throw new Error('python-openslide stopped');
    return JSON.parse(line.value) as Record<string, number>;
  };
  return {
    open: async (file) =>
      void (await ask({ op: 'open', path: path.join(DATA, 'slides', file) })),
    read: async (regions) => {
      const { wallS, cpuS } = await ask({ op: 'read', size: REGION_PX, regions });
      return { wallS: wallS!, cpuS: cpuS! };
    },
    close: async () => void (await ask({ op: 'close' })),
    stop: () => child.stdin.end(),
  };
}

/** Reads `regions` through every side, turn by turn, each from a freshly opened slide. */
async function timedPass(
  file: string,
  sides: Side[],
  regions: Region[],
): Promise<Rates[]> {
  for (const side of sides) {
    await side.open(file);
    await side.read(regions.slice(0, WARM_UP_READS));
    await side.close();
  }
  for (const side of sides) await side.open(file);
  const spent = sides.map(() => ({ wallS: 0, cpuS: 0 }));
  for (let start = 0, turn = 0; start < regions.length; start += READS_PER_TURN, turn++) {
    const chunk = regions.slice(start, start + READS_PER_TURN);
    const order = turn % 2 ? [...sides.keys()].reverse() : [...sides.keys()];
    for (const index of order) {
      const { wallS, cpuS } = await sides[index]!.read(chunk);
      spent[index]!.wallS += wallS;
      spent[index]!.cpuS += cpuS;
    }
  }
  for (const side of sides) await side.close();
  return spent.map(({ wallS, cpuS }) => ({
    wallPerS: regions.length / wallS,
    cpuPerS: regions.length / cpuS,
  }));
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
async function measure(file: string, reader: ReaderChoice, python: Side | null) {
  const regions = await regionsOf(file, reader);
  const ours = ourSide(reader);
  const sides = python ? [ours, python] : [ours];
  const rounds: Rates[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    rounds.push(await timedPass(file, sides, regions));
  }
  return {
    kind: ours.kind(),
    ours: medianRates(rounds.map((pass) => pass[0]!)),
    python: python ? medianRates(rounds.map((pass) => pass[1]!)) : null,
  };
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
  python?.stop();
  await closeAllSlides();
  console.log(
    `${READS} random ${REGION_PX}x${REGION_PX} level-0 reads per row, sequential, cold tile cache,` +
      ` the sides taking turns of ${READS_PER_TURN} reads; median of ${ROUNDS} rounds, each side` +
      ` warmed up on ${WARM_UP_READS} reads before each.`,
  );
  console.table(rows);
}

await main();
