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
import { tileMapsAt, type TileMaps } from '../nuclei/tile-maps';
import { openSlide } from '../slides/open-slide';
import { chooseMpp, chooseRegion, planTiles } from './analysis-plan';
import { readModelTile } from './tile-reading';
import type { PlannedTile } from './tile-processing';

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
    const ntChannels = manifest.outputs.nt ? manifest.nucleusClasses.length + 1 : 0;
    const canvas = createCanvas({
      regionBase,
      basePerPx: grid.targetDownsample,
      tileSizePx: manifest.input.tileSizePx,
      ntChannels,
    });

    const builder = new BatchBuilder(
      manifest.input.normalisation,
      manifest.input.tileSizePx,
      1,
    );
    for (const tile of tiles) {
      const model = await readModelTile(reader, {
        baseRect: tile.baseRect,
        level: grid.level,
        tileSizePx: canvas.tileSizePx,
      });
      builder.writeTile({ ...model.rgb, channels: 3 }, 0);
      const maps = tileMapsAt(await engine.run(builder.view(1), 1), 0);
      pasteCore(canvas, { tile, maps, basePerTilePx: model.placement.basePerTilePx });
    }

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

interface Canvas {
  regionBase: Rect;
  /** Level-0 pixels per canvas pixel. */
  basePerPx: number;
  tileSizePx: number;
  maps: TileMaps;
}

function createCanvas(spec: {
  regionBase: Rect;
  basePerPx: number;
  tileSizePx: number;
  ntChannels: number;
}): Canvas {
  const { regionBase, basePerPx, tileSizePx, ntChannels } = spec;
  const widthPx = Math.ceil(regionBase.width / basePerPx);
  const heightPx = Math.ceil(regionBase.height / basePerPx);
  const planePx = widthPx * heightPx;
  return {
    regionBase,
    basePerPx,
    tileSizePx,
    maps: {
      widthPx,
      heightPx,
      np: new Float32Array(2 * planePx),
      hv: new Float32Array(2 * planePx),
      nt: ntChannels > 0 ? new Float32Array(ntChannels * planePx) : null,
      ntChannels,
    },
  };
}

/**
 * Copies the tile's maps into the canvas pixels whose level-0 centre lies in the
 * tile's core, sampling the tile at the nearest pixel (tile and canvas grids differ
 * by less than a pixel, from rounding tile origins to whole level-0 pixels).
 */
function pasteCore(
  canvas: Canvas,
  source: { tile: PlannedTile; maps: TileMaps; basePerTilePx: number },
): void {
  const { tile, maps, basePerTilePx } = source;
  const { maps: target, basePerPx, regionBase } = canvas;
  const core = tile.coreBaseRect;
  const toCanvas = (base: number, origin: number) =>
    Math.ceil((base - origin) / basePerPx - 0.5);
  const x0 = Math.max(0, toCanvas(core.x, regionBase.x));
  const y0 = Math.max(0, toCanvas(core.y, regionBase.y));
  const x1 = Math.min(target.widthPx, toCanvas(core.x + core.width, regionBase.x));
  const y1 = Math.min(target.heightPx, toCanvas(core.y + core.height, regionBase.y));

  const targetPlane = target.widthPx * target.heightPx;
  const sourcePlane = maps.widthPx * maps.heightPx;
  for (let y = y0; y < y1; y += 1) {
    const baseY = regionBase.y + (y + 0.5) * basePerPx;
    const v = clampIndex(
      Math.floor((baseY - tile.baseRect.y) / basePerTilePx),
      maps.heightPx,
    );
    for (let x = x0; x < x1; x += 1) {
      const baseX = regionBase.x + (x + 0.5) * basePerPx;
      const u = clampIndex(
        Math.floor((baseX - tile.baseRect.x) / basePerTilePx),
        maps.widthPx,
      );
      const to = y * target.widthPx + x;
      const from = v * maps.widthPx + u;
      copyChannels({
        from: maps.np,
        to: target.np,
        channels: 2,
        sourcePlane,
        targetPlane,
        fromIndex: from,
        toIndex: to,
      });
      copyChannels({
        from: maps.hv,
        to: target.hv,
        channels: 2,
        sourcePlane,
        targetPlane,
        fromIndex: from,
        toIndex: to,
      });
      if (maps.nt && target.nt) {
        copyChannels({
          from: maps.nt,
          to: target.nt,
          channels: maps.ntChannels,
          sourcePlane,
          targetPlane,
          fromIndex: from,
          toIndex: to,
        });
      }
    }
  }
}

function copyChannels(c: {
  from: Float32Array;
  to: Float32Array;
  channels: number;
  sourcePlane: number;
  targetPlane: number;
  fromIndex: number;
  toIndex: number;
}): void {
  for (let k = 0; k < c.channels; k += 1) {
    c.to[k * c.targetPlane + c.toIndex] = c.from[k * c.sourcePlane + c.fromIndex]!;
  }
}

function clampIndex(value: number, size: number): number {
  return Math.min(size - 1, Math.max(0, value));
}
