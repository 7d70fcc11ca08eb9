/**
 * The analysis tile grid: which level-0 rectangles to read, at which pyramid
 * level, and which part of each tile (its core) owns the results. Pure: no I/O.
 *
 * Tiles overlap by `overlapPx` target pixels; each tile's core is the tile less
 * half the overlap on each side, and cores partition the slide exactly, so an
 * object belongs to the one tile whose core holds its centroid.
 */
import type { Rect } from './geometry';

/** The slide facts the grid needs. */
export interface GridSlide {
  widthPx: number;
  heightPx: number;
  /** Level-0 pixels per level pixel, level 0 first. */
  levelDownsamples: number[];
  /** Micrometres per level-0 pixel (x); the grid needs a calibrated slide. */
  mppX: number;
}

/** A binary tissue mask laid over the whole slide at low resolution. */
export interface GridTissueMask {
  widthPx: number;
  heightPx: number;
  /** One byte per mask pixel, row-major; non-zero is tissue. */
  data: Uint8Array;
}

/** What to tile: target resolution, tile size and overlap in target pixels. */
export interface TileGridOptions {
  targetMpp: number;
  tileSizePx: number;
  overlapPx: number;
  /** When given, tiles without any tissue pixel are left out. */
  tissueMask?: GridTissueMask;
}

/** One tile of the grid. */
export interface GridTile {
  column: number;
  row: number;
  /** The tile in level-0 pixels; may extend past the right and bottom edges (read as white). */
  baseRect: Rect;
  /** The part of the tile that owns results, in level-0 pixels; always inside the slide. */
  coreBaseRect: Rect;
}

/** A tile grid and how to read it. */
export interface TileGrid {
  /** Pyramid level to read: the coarsest one still at least as fine as the target. */
  level: number;
  /** Level-0 pixels per target pixel. */
  targetDownsample: number;
  /** Level pixels per target pixel (>= ~1): how much to shrink after reading. */
  resampleFactor: number;
  columns: number;
  rows: number;
  /** Tiles before the tissue filter. */
  totalTileCount: number;
  tiles: GridTile[];
}

/** A level counts as fine enough when it is at most 1 % coarser than the target. */
const LEVEL_TOLERANCE = 1.01;

/** Index of the coarsest level whose downsample does not exceed `targetDownsample` (1 % slack). */
export function chooseLevel(
  levelDownsamples: number[],
  targetDownsample: number,
): number {
  let best = 0;
  levelDownsamples.forEach((downsample, index) => {
    const isFineEnough = downsample <= targetDownsample * LEVEL_TOLERANCE;
    if (isFineEnough && downsample > levelDownsamples[best]!) best = index;
  });
  return best;
}

/**
 * Core boundaries along one axis in level-0 pixels: `count + 1` increasing
 * integers from 0 to `extentBasePx`, the k-th core spanning [b[k], b[k+1]).
 */
function axisTiles(
  extentBasePx: number,
  spec: AxisSpec,
): { starts: number[]; bounds: number[] } {
  const { tileSizePx, overlapPx, targetDownsample } = spec;
  const strideTargetPx = tileSizePx - overlapPx;
  const extentTargetPx = extentBasePx / targetDownsample;
  let count = Math.max(1, Math.ceil((extentTargetPx - overlapPx) / strideTargetPx));

  const boundary = (k: number) =>
    Math.round((k * strideTargetPx + overlapPx / 2) * targetDownsample);
  while (count > 1 && boundary(count - 1) >= extentBasePx) count--;

  const starts = Array.from({ length: count }, (_, k) =>
    Math.round(k * strideTargetPx * targetDownsample),
  );
  const bounds = [0, ...Array.from({ length: count - 1 }, (_, k) => boundary(k + 1))];
  bounds.push(extentBasePx);
  return { starts, bounds };
}

interface AxisSpec {
  tileSizePx: number;
  overlapPx: number;
  targetDownsample: number;
}

function validate(slide: GridSlide, options: TileGridOptions): void {
  const { targetMpp, tileSizePx, overlapPx } = options;
  if (!(slide.mppX > 0)) throw new RangeError(`Slide mpp ${slide.mppX} must be > 0.`);
  if (!(targetMpp > 0)) throw new RangeError(`Target mpp ${targetMpp} must be > 0.`);
  if (!Number.isInteger(tileSizePx) || tileSizePx < 1) {
    throw new RangeError(`Tile size ${tileSizePx} px must be a positive integer.`);
  }
  if (!Number.isInteger(overlapPx) || overlapPx < 0 || overlapPx >= tileSizePx) {
    throw new RangeError(`Overlap ${overlapPx} px must be an integer in [0, tile size).`);
  }
  if (!(slide.widthPx >= 1 && slide.heightPx >= 1)) {
    throw new RangeError(`Slide size ${slide.widthPx}x${slide.heightPx} px is empty.`);
  }
}

/** Builds the grid of tiles for `slide` at the target resolution. */
export function buildTileGrid(slide: GridSlide, options: TileGridOptions): TileGrid {
  validate(slide, options);
  const targetDownsample = options.targetMpp / slide.mppX;
  const level = chooseLevel(slide.levelDownsamples, targetDownsample);
  const spec = { ...options, targetDownsample };
  // Ceil, not round: with integer tile origins this keeps every core inside its tile.
  const tileSizeBasePx = Math.ceil(options.tileSizePx * targetDownsample - 1e-9);

  const xs = axisTiles(slide.widthPx, spec);
  const ys = axisTiles(slide.heightPx, spec);
  const tiles: GridTile[] = [];
  for (let row = 0; row < ys.starts.length; row++) {
    for (let column = 0; column < xs.starts.length; column++) {
      tiles.push({
        column,
        row,
        baseRect: span(xs.starts[column]!, ys.starts[row]!, tileSizeBasePx),
        coreBaseRect: core(xs.bounds, ys.bounds, { column, row }),
      });
    }
  }

  const mask = options.tissueMask;
  return {
    level,
    targetDownsample,
    resampleFactor: targetDownsample / slide.levelDownsamples[level]!,
    columns: xs.starts.length,
    rows: ys.starts.length,
    totalTileCount: tiles.length,
    tiles: mask ? filterByTissue(tiles, { mask, slide }) : tiles,
  };
}

function span(x: number, y: number, sizeBasePx: number): Rect {
  return { x, y, width: sizeBasePx, height: sizeBasePx };
}

function core(
  xBounds: number[],
  yBounds: number[],
  at: { column: number; row: number },
): Rect {
  const { column, row } = at;
  const x = xBounds[column]!;
  const y = yBounds[row]!;
  return { x, y, width: xBounds[column + 1]! - x, height: yBounds[row + 1]! - y };
}

/** Summed-area table of the mask: O(1) "any tissue in this rectangle" queries. */
function integralImage(mask: GridTissueMask): Float64Array {
  const w = mask.widthPx + 1;
  const sums = new Float64Array(w * (mask.heightPx + 1));
  for (let y = 0; y < mask.heightPx; y++) {
    let rowSum = 0;
    for (let x = 0; x < mask.widthPx; x++) {
      rowSum += mask.data[y * mask.widthPx + x] ? 1 : 0;
      sums[(y + 1) * w + x + 1] = sums[y * w + x + 1]! + rowSum;
    }
  }
  return sums;
}

function filterByTissue(
  tiles: GridTile[],
  context: { mask: GridTissueMask; slide: GridSlide },
): GridTile[] {
  const { mask, slide } = context;
  const sums = integralImage(mask);
  const w = mask.widthPx + 1;
  const scaleX = mask.widthPx / slide.widthPx;
  const scaleY = mask.heightPx / slide.heightPx;
  const clampX = (v: number) => Math.min(mask.widthPx, Math.max(0, v));
  const clampY = (v: number) => Math.min(mask.heightPx, Math.max(0, v));

  return tiles.filter(({ baseRect }) => {
    const x0 = clampX(Math.floor(baseRect.x * scaleX));
    const y0 = clampY(Math.floor(baseRect.y * scaleY));
    const x1 = clampX(Math.ceil((baseRect.x + baseRect.width) * scaleX));
    const y1 = clampY(Math.ceil((baseRect.y + baseRect.height) * scaleY));
    const at = (x: number, y: number) => sums[y * w + x]!;
    const count = at(x1, y1) - at(x1, y0) - at(x0, y1) + at(x0, y0);
    return count > 0;
  });
}
