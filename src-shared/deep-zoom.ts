/**
 * Deep Zoom (DZI) pyramid geometry, as OpenSeadragon expects it: level `maxLevel` is
 * full resolution, each level below halves the size (rounding up), level 0 is one
 * pixel. Tiles are `tileSizePx` square plus `overlapPx` on each inner edge. Pure.
 */
import type { Rect } from './geometry';

/** The served pyramid of one slide. */
export interface DeepZoomGeometry {
  widthPx: number;
  heightPx: number;
  tileSizePx: number;
  overlapPx: number;
  maxLevel: number;
}

/** Tile edge and overlap the app serves (the classic 254 + 1 + 1 = 256 layout). */
export const DEEP_ZOOM_TILE_SIZE_PX = 254;
export const DEEP_ZOOM_OVERLAP_PX = 1;

/** The Deep Zoom pyramid of a slide of the given level-0 size. */
export function deepZoomGeometry(widthPx: number, heightPx: number): DeepZoomGeometry {
  const maxLevel = Math.ceil(Math.log2(Math.max(widthPx, heightPx, 1)));
  return {
    widthPx,
    heightPx,
    tileSizePx: DEEP_ZOOM_TILE_SIZE_PX,
    overlapPx: DEEP_ZOOM_OVERLAP_PX,
    maxLevel,
  };
}

/** Level-0 pixels per pixel of Deep Zoom level `level`. */
export function deepZoomDownsample(geometry: DeepZoomGeometry, level: number): number {
  return 2 ** (geometry.maxLevel - level);
}

/** Size in pixels of Deep Zoom level `level`. */
export function deepZoomLevelSize(
  geometry: DeepZoomGeometry,
  level: number,
): { widthPx: number; heightPx: number } {
  const downsample = deepZoomDownsample(geometry, level);
  return {
    widthPx: Math.max(1, Math.ceil(geometry.widthPx / downsample)),
    heightPx: Math.max(1, Math.ceil(geometry.heightPx / downsample)),
  };
}

/** Columns and rows of tiles at a level. */
export function deepZoomTileCounts(
  geometry: DeepZoomGeometry,
  level: number,
): { cols: number; rows: number } {
  const size = deepZoomLevelSize(geometry, level);
  return {
    cols: Math.ceil(size.widthPx / geometry.tileSizePx),
    rows: Math.ceil(size.heightPx / geometry.tileSizePx),
  };
}

/**
 * The rectangle of tile (`col`, `row`) in pixels of Deep Zoom level `level`
 * (overlap included), or `null` when the level or tile does not exist.
 */
export function deepZoomTileLevelRect(
  geometry: DeepZoomGeometry,
  tile: { level: number; col: number; row: number },
): Rect | null {
  const { level, col, row } = tile;
  if (!Number.isInteger(level) || level < 0 || level > geometry.maxLevel) return null;
  const { cols, rows } = deepZoomTileCounts(geometry, level);
  if (!Number.isInteger(col) || !Number.isInteger(row)) return null;
  if (col < 0 || row < 0 || col >= cols || row >= rows) return null;

  const size = deepZoomLevelSize(geometry, level);
  const { tileSizePx, overlapPx } = geometry;
  const x = col * tileSizePx - (col > 0 ? overlapPx : 0);
  const y = row * tileSizePx - (row > 0 ? overlapPx : 0);
  const right = Math.min(size.widthPx, (col + 1) * tileSizePx + overlapPx);
  const bottom = Math.min(size.heightPx, (row + 1) * tileSizePx + overlapPx);
  return { x, y, width: right - x, height: bottom - y };
}
