/**
 * Region read rate: random 256x256 level-0 regions per second through each of
 * our readers (OpenSlide via koffi, pure-JS TIFF, DICOM) on the public slides,
 * and the same regions through Debian's python3-openslide, timed in the same
 * run. Each reader opens the slide fresh, so both start with a cold tile cache.
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

/** Deterministic region origins, so every reader reads the same regions. */
function regionsFor(widthPx: number, heightPx: number): Region[] {
  let seed = 20_240_607;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: READS }, () => [
    Math.floor(next() * Math.max(1, widthPx - REGION_PX)),
    Math.floor(next() * Math.max(1, heightPx - REGION_PX)),
  ]);
}

async function ours(
  file: string,
  reader: ReaderChoice,
): Promise<{ rate: number; kind: string; regions: Region[] }> {
  const slide = await openSlide(path.join(DATA, 'slides', file), {
    reader,
    useCache: false,
  });
  const regions = regionsFor(slide.info.widthPx, slide.info.heightPx);
  const startedMs = performance.now();
  for (const [baseX, baseY] of regions) {
    await slide.readRegion({
      level: 0,
      baseX,
      baseY,
      widthPx: REGION_PX,
      heightPx: REGION_PX,
    });
  }
  const rate = regions.length / ((performance.now() - startedMs) / 1000);
  await slide.close();
  return { rate, kind: slide.info.reader, regions };
}

const PYTHON_READER = `
import json, sys, time, openslide
path, size, regions = sys.argv[1], int(sys.argv[2]), json.load(sys.stdin)
slide = openslide.OpenSlide(path)
start = time.perf_counter()
for x, y in regions:
    slide.read_region((x, y), 0, (size, size))
print(len(regions) / (time.perf_counter() - start))
`;

function python(file: string, regions: Region[]): number | null {
  if (!existsSync('/usr/bin/python3')) return null;
  const result = spawnSync(
    '/usr/bin/python3',
    ['-c', PYTHON_READER, path.join(DATA, 'slides', file), String(REGION_PX)],
    {
      input: JSON.stringify(regions),
      encoding: 'utf8',
    },
  );
  const rate = Number(result.stdout.trim());
  return result.status === 0 && rate > 0 ? rate : null;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(DATA, 'slides'))) {
    console.log(`No shared data at ${DATA}; nothing to measure.`);
    return;
  }
  const rows: Array<Record<string, string>> = [];
  for (const { file, readers, python: hasPython } of SLIDES) {
    for (const reader of readers) {
      const result = await ours(file, reader);
      const reference = hasPython ? python(file, result.regions) : null;
      rows.push({
        slide: file,
        reader: result.kind,
        'ours reads/s': result.rate.toFixed(1),
        'python-openslide reads/s': reference === null ? 'n/a' : reference.toFixed(1),
        'ratio ours/python':
          reference === null ? 'n/a' : (result.rate / reference).toFixed(2),
      });
    }
  }
  await closeAllSlides();
  console.log(
    `${READS} random ${REGION_PX}x${REGION_PX} level-0 reads per row, sequential, cold cache.`,
  );
  console.table(rows);
}

await main();
