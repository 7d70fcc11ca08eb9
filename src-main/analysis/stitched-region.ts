/**
 * The single-large-tile reference: one region's nuclei found by ONE post-processing
 * pass over maps stitched from the model's tiles.
 *
 * The bundle's graph has a fixed tile size, so a region cannot go through the model
 * as one tile. Instead each region pixel takes the maps of the tile whose core holds
 * it, and post-processing then sees the whole region at once: no nucleus is cut by a
 * tile border and none can be counted twice. Comparing the tiled pipeline's stored
 * nuclei with these isolates exactly what tiling adds (the ownership rule and the
 * tile-to-slide mapping), because both use the same model outputs.
 *
 * The canvas holds every pixel the tiles read, not just the region: the last column
 * and row of tiles reach past the region's right and bottom edges, so the tiled run
 * sees a nucleus there whole and drops it when its centroid lies outside the region.
 * A canvas cut at the region's edge would instead see only the part inside, centred
 * inside, and keep it (on a 4 x 3 tile CMU-1 region, 7 such fragments of 174 nuclei).
 */
import { rectContains, type Rect } from '../../src-shared/geometry';
import { nucleusToBase, type BaseNucleus } from '../../src-shared/nucleus-types';
import { loadBundle } from '../inference/bundle-loader';
import { NucleiEngine } from '../inference/engine';
import { BatchBuilder } from '../inference/preprocess';
import { NucleusExtractor } from '../nuclei/nucleus-extractor';
import { openSlide } from '../slides/open-slide';
import { chooseMpp, chooseRegion, planTiles } from './analysis-plan';
import type { TileGrid } from '../../src-shared/tile-grid';
import type { SlideReader } from '../slides/slide-reader';
import {
  createMapCanvas,
  stitchTileMaps,
  type MapCanvas,
  type StitchTile,
} from './stitched-maps';
import type { PlannedTile } from './tile-processing';
import { readModelTile } from './tile-reading';

/** Tiles per model run. */
const BATCH_SIZE = 8;

/** What to analyse as one stitched tile. */
export interface StitchedRegionOptions {
  slidePath: string;
  bundlePath: string;
  regionBase: Rect;
  userMppX?: number;
}

/** Nuclei of the region (level-0 pixels) whose centroid lies in the region. */
export async function analyseRegionStitched(
  options: StitchedRegionOptions,
): Promise<BaseNucleus[]> {
  const reader = await openSlide(options.slidePath, { useCache: false });
  const bundle = await loadBundle(options.bundlePath);
  const engine = await NucleiEngine.create(bundle);
  try {
    const { manifest, calibration } = bundle;
    const mpp = chooseMpp(reader.info, options.userMppX);
    const regionBase = chooseRegion(reader.info, options.regionBase);
    const { grid, tiles } = planTiles({
      info: reader.info,
      mpp,
      regionBase,
      manifest,
      tissue: null,
    });
    const reach = tilesReach(tiles, regionBase);
    const canvas = await stitchSlideRegion({ reader, engine, grid, ...reach });

    const extractor = await NucleusExtractor.create({
      params: manifest.postprocessing,
      npTemperature: calibration.temperature.np,
      ntTemperature: calibration.temperature.nt,
    });
    const placement = {
      originBaseX: reach.canvasBase.x,
      originBaseY: reach.canvasBase.y,
      basePerTilePx: grid.targetDownsample,
    };
    return extractor
      .extract(canvas.maps)
      .nuclei.map((n) => nucleusToBase(n, placement))
      .filter((n) => rectContains(regionBase, n.centroidBase));
  } finally {
    await engine.release();
    await reader.close();
  }
}

/**
 * What the tiles read, level-0 pixels: each tile with its core grown, on every side
 * that lies on the region's edge, to the tile's own edge, and the canvas those grown
 * cores tile. Cores partition the region, so the grown cores partition the canvas.
 */
export function tilesReach(
  tiles: readonly Pick<PlannedTile, 'baseRect' | 'coreBaseRect'>[],
  regionBase: Rect,
): { canvasBase: Rect; tiles: StitchTile[] } {
  const regionRight = regionBase.x + regionBase.width;
  const regionBottom = regionBase.y + regionBase.height;
  const grown = tiles.map(({ baseRect, coreBaseRect: core }) => {
    const grow = (coreEdge: number, regionEdge: number, tileEdge: number) =>
      coreEdge === regionEdge ? tileEdge : coreEdge;
    const x = grow(core.x, regionBase.x, baseRect.x);
    const y = grow(core.y, regionBase.y, baseRect.y);
    const right = grow(core.x + core.width, regionRight, baseRect.x + baseRect.width);
    const bottom = grow(core.y + core.height, regionBottom, baseRect.y + baseRect.height);
    return { baseRect, coreBaseRect: { x, y, width: right - x, height: bottom - y } };
  });

  const cores = grown.map((tile) => tile.coreBaseRect);
  const x = Math.min(...cores.map((core) => core.x));
  const y = Math.min(...cores.map((core) => core.y));
  const right = Math.max(...cores.map((core) => core.x + core.width));
  const bottom = Math.max(...cores.map((core) => core.y + core.height));
  return { canvasBase: { x, y, width: right - x, height: bottom - y }, tiles: grown };
}

/** The maps of every pixel the tiles read, stitched from the tiles as read from the slide. */
async function stitchSlideRegion(region: {
  reader: SlideReader;
  engine: NucleiEngine;
  grid: TileGrid;
  tiles: StitchTile[];
  canvasBase: Rect;
}): Promise<MapCanvas> {
  const { reader, engine, grid } = region;
  const { tileSizePx, normalisation } = engine.manifest.input;
  const canvas = createMapCanvas({
    regionBase: region.canvasBase,
    basePerPx: grid.targetDownsample,
    ntChannels: engine.manifest.outputs.nt
      ? engine.manifest.nucleusClasses.length + 1
      : 0,
  });

  await stitchTileMaps(canvas, {
    engine,
    builder: new BatchBuilder(normalisation, tileSizePx, BATCH_SIZE),
    tiles: region.tiles,
    readTile: async (tile) => {
      const model = await readModelTile(reader, {
        baseRect: tile.baseRect,
        level: grid.level,
        tileSizePx,
      });
      return { rgb: model.rgb, basePerTilePx: model.placement.basePerTilePx };
    },
  });
  return canvas;
}
