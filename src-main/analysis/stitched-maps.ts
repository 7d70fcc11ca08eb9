/**
 * Model maps of a region stitched from overlapping tiles: every region pixel takes
 * the maps of the tile whose core holds it, so that one post-processing pass sees
 * the whole region and no nucleus is cut by a tile border or counted twice.
 */
import type { Rect } from '../../src-shared/geometry';
import type { NucleiEngine } from '../inference/engine';
import type { BatchBuilder } from '../inference/preprocess';
import { tileMapsAt, type TileMaps } from '../nuclei/tile-maps';
import type { RgbImage } from '../slides/slide-reader';

/** A tile to stitch: the rectangle read and the core it owns, level-0 pixels. */
export interface StitchTile {
  baseRect: Rect;
  coreBaseRect: Rect;
}

/** One tile's pixels as the model sees them (`tileSizePx` square RGB). */
export interface StitchTilePixels {
  rgb: RgbImage;
  /** Level-0 pixels per tile pixel. */
  basePerTilePx: number;
}

/** The stitched maps of a region; canvas pixel (0, 0) starts at the region's origin. */
export interface MapCanvas {
  regionBase: Rect;
  /** Level-0 pixels per canvas pixel. */
  basePerPx: number;
  maps: TileMaps;
}

/** An empty canvas over `regionBase` at `basePerPx`, with `ntChannels` type planes. */
export function createMapCanvas(spec: {
  regionBase: Rect;
  basePerPx: number;
  ntChannels: number;
}): MapCanvas {
  const { regionBase, basePerPx, ntChannels } = spec;
  const widthPx = Math.ceil(regionBase.width / basePerPx);
  const heightPx = Math.ceil(regionBase.height / basePerPx);
  const planePx = widthPx * heightPx;
  return {
    regionBase,
    basePerPx,
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

/** How to run the tiles of a region through the model. */
export interface StitchOptions {
  engine: NucleiEngine;
  /** Its capacity sets the batch size. */
  builder: BatchBuilder;
  tiles: readonly StitchTile[];
  readTile: (tile: StitchTile) => Promise<StitchTilePixels>;
  signal?: AbortSignal;
}

/**
 * Runs every tile through the model, in batches as large as the builder holds, and
 * pastes each tile's core into `canvas`. Resolves to the time spent in the model, ms.
 */
export async function stitchTileMaps(
  canvas: MapCanvas,
  options: StitchOptions,
): Promise<{ modelMs: number }> {
  const { engine, builder, tiles, signal } = options;
  const batchSize = Math.max(1, builder.buffer.length / (3 * builder.tileSizePx ** 2));
  let modelMs = 0;

  for (let start = 0; start < tiles.length; start += batchSize) {
    const batch = tiles.slice(start, start + batchSize);
    const pixels: StitchTilePixels[] = [];
    for (const tile of batch) pixels.push(await options.readTile(tile));
    pixels.forEach((p, i) => builder.writeTile({ ...p.rgb, channels: 3 }, i));

    const startedMs = performance.now();
    const maps = await engine.run(builder.view(batch.length), batch.length, signal);
    modelMs += performance.now() - startedMs;
    batch.forEach((tile, i) => {
      const { basePerTilePx } = pixels[i] as StitchTilePixels;
      pasteTileCore(canvas, { tile, maps: tileMapsAt(maps, i), basePerTilePx });
    });
  }
  return { modelMs };
}

/**
 * Copies the tile's maps into the canvas pixels whose level-0 centre lies in the
 * tile's core, sampling the tile at the nearest pixel (tile and canvas grids differ
 * by less than a pixel, from rounding tile origins to whole level-0 pixels).
 */
export function pasteTileCore(
  canvas: MapCanvas,
  source: { tile: StitchTile; maps: TileMaps; basePerTilePx: number },
): void {
  const { maps } = source;
  const target = canvas.maps;
  const columns = coreSamples(canvas, { ...source, axis: 'x' });
  const rows = coreSamples(canvas, { ...source, axis: 'y' });
  const planes: [Float32Array, Float32Array, number][] = [
    [maps.np, target.np, 2],
    [maps.hv, target.hv, 2],
  ];
  if (maps.nt && target.nt) planes.push([maps.nt, target.nt, maps.ntChannels]);

  const sourcePlane = maps.widthPx * maps.heightPx;
  const targetPlane = target.widthPx * target.heightPx;
  for (const [from, to, channels] of planes) {
    for (let k = 0; k < channels; k += 1) {
      rows.sources.forEach((v, j) => {
        const toRow = k * targetPlane + (rows.first + j) * target.widthPx + columns.first;
        const fromRow = k * sourcePlane + v * maps.widthPx;
        columns.sources.forEach((u, i) => {
          to[toRow + i] = from[fromRow + u] as number;
        });
      });
    }
  }
}

/**
 * Along one axis: the first canvas pixel inside the tile's core and, for each canvas
 * pixel of the core, the tile pixel holding its level-0 centre.
 */
function coreSamples(
  canvas: MapCanvas,
  along: { tile: StitchTile; maps: TileMaps; basePerTilePx: number; axis: 'x' | 'y' },
): { first: number; sources: Int32Array } {
  const { tile, maps, basePerTilePx, axis } = along;
  const { basePerPx, regionBase } = canvas;
  const isX = axis === 'x';
  const origin = isX ? regionBase.x : regionBase.y;
  const coreStart = isX ? tile.coreBaseRect.x : tile.coreBaseRect.y;
  const coreEnd = coreStart + (isX ? tile.coreBaseRect.width : tile.coreBaseRect.height);
  const tileStart = isX ? tile.baseRect.x : tile.baseRect.y;
  const canvasSizePx = isX ? canvas.maps.widthPx : canvas.maps.heightPx;
  const tileSizePx = isX ? maps.widthPx : maps.heightPx;

  const toCanvas = (base: number) => Math.ceil((base - origin) / basePerPx - 0.5);
  const first = Math.max(0, toCanvas(coreStart));
  const end = Math.min(canvasSizePx, toCanvas(coreEnd));
  const sources = new Int32Array(Math.max(0, end - first));
  for (let c = first; c < end; c += 1) {
    const base = origin + (c + 0.5) * basePerPx;
    const index = Math.floor((base - tileStart) / basePerTilePx);
    sources[c - first] = Math.min(tileSizePx - 1, Math.max(0, index));
  }
  return { first, sources };
}
