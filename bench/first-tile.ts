/**
 * Time from opening a slide to its first Deep Zoom tile, as the tile route serves
 * it: open the file (metadata and probe), render the level OpenSeadragon asks for
 * first (the whole slide in a 1280 x 800 view) and encode it as JPEG.
 */
import { deepZoomGeometry, deepZoomLevelSize } from '../src-shared/deep-zoom';
import { OpenSlides } from '../src-main/ipc/open-slides';
import { TileService } from '../src-main/ipc/tile-service';
import { closeAllSlides, openSlide } from '../src-main/slides/open-slide';

const VIEW = { widthPx: 1280, heightPx: 800 };

/** The Deep Zoom level at which the whole slide first fills the view. */
function firstLevel(widthPx: number, heightPx: number): number {
  const geometry = deepZoomGeometry(widthPx, heightPx);
  for (let level = 0; level <= geometry.maxLevel; level++) {
    const size = deepZoomLevelSize(geometry, level);
    if (size.widthPx >= VIEW.widthPx || size.heightPx >= VIEW.heightPx) return level;
  }
  return geometry.maxLevel;
}

/** Median and worst open-to-first-tile time over `runs` fresh opens of `slidePath`. */
export async function measureFirstTile(slidePath: string, runs = 5): Promise<string> {
  const timesMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    await closeAllSlides();
    const started = performance.now();
    const slides = new OpenSlides({
      openSlide: (filePath) => openSlide(filePath, { useCache: false }),
      lookupPath: () => slidePath,
    });
    const tiles = new TileService({ slides });
    const reader = await slides.get('bench');
    const level = firstLevel(reader.info.widthPx, reader.info.heightPx);
    await tiles.readTile({ slideId: 'bench', level, col: 0, row: 0 });
    timesMs.push(performance.now() - started);
    slides.closeAll();
  }
  timesMs.sort((a, b) => a - b);
  const median = timesMs[Math.floor(timesMs.length / 2)] ?? Number.NaN;
  const worst = timesMs[timesMs.length - 1] ?? Number.NaN;
  return `open to first tile (CMU-1-Small-Region.svs, ${runs} fresh opens): median ${median.toFixed(1)} ms, worst ${worst.toFixed(1)} ms (goal <= 200 ms)`;
}
