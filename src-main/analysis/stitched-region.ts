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
 */
import type { Rect } from '../../src-shared/geometry';
import { nucleusToBase, type BaseNucleus } from '../../src-shared/nucleus-types';
import { loadBundle } from '../inference/bundle-loader';
import { NucleiEngine } from '../inference/engine';
import { BatchBuilder } from '../inference/preprocess';
import { NucleusExtractor } from '../nuclei/nucleus-extractor';
import { openSlide } from '../slides/open-slide';
import { chooseMpp, chooseRegion, planTiles } from './analysis-plan';
import type { TileGrid } from '../../src-shared/tile-grid';
import type { SlideReader } from '../slides/slide-reader';
import { createMapCanvas, stitchTileMaps, type MapCanvas } from './stitched-maps';
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
    const canvas = await stitchSlideRegion({ reader, engine, grid, tiles, regionBase });

    const extractor = await NucleusExtractor.create({
      params: manifest.postprocessing,
      npTemperature: calibration.temperature.np,
      ntTemperature: calibration.temperature.nt,
    });
    const placement = {
      originBaseX: regionBase.x,
      originBaseY: regionBase.y,
      basePerTilePx: grid.targetDownsample,
    };
    return extractor.extract(canvas.maps).nuclei.map((n) => nucleusToBase(n, placement));
  } finally {
    await engine.release();
    await reader.close();
  }
}

/** The region's maps, stitched from its tiles as read from the slide. */
async function stitchSlideRegion(region: {
  reader: SlideReader;
  engine: NucleiEngine;
  grid: TileGrid;
  tiles: PlannedTile[];
  regionBase: Rect;
}): Promise<MapCanvas> {
  const { reader, engine, grid } = region;
  const { tileSizePx, normalisation } = engine.manifest.input;
  const canvas = createMapCanvas({
    regionBase: region.regionBase,
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
