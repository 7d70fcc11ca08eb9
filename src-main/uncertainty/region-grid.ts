/**
 * The region grid: square cells of a fixed physical size over the slide, each
 * aggregating the tiles whose core centre falls inside it. Cells without any tissue
 * or unreadable tile are left out (there is nothing to triage there).
 */
import type { Rect } from '../../src-shared/geometry';
import type { StoredTileUncertainty } from './triage-store';
import type { QualityFlag, RegionMeasures } from './types';

/** Flags that count as a quality failure of a tissue tile. */
const QUALITY_FAILURES: ReadonlySet<QualityFlag> = new Set([
  'blur',
  'pen-ink',
  'unreadable',
]);

/** A grid cell's position, rectangle and tiles. */
export interface GridCell {
  col: number;
  row: number;
  cellBaseRect: Rect;
  tiles: StoredTileUncertainty[];
}

/** Options of {@link buildGridCells}. */
export interface GridOptions {
  cellSizeBasePx: number;
  slideWidthPx: number;
  slideHeightPx: number;
}

/** Groups tiles into cells by the centre of their core; only cells with tiles exist. */
export function buildGridCells(
  tiles: readonly StoredTileUncertainty[],
  options: GridOptions,
): Map<string, GridCell> {
  const size = options.cellSizeBasePx;
  const cells = new Map<string, GridCell>();
  for (const tile of tiles) {
    const rect = tile.tileBaseRect;
    const col = Math.floor((rect.x + rect.width / 2) / size);
    const row = Math.floor((rect.y + rect.height / 2) / size);
    const key = cellKey(col, row);
    let cell = cells.get(key);
    if (!cell) {
      const cellBaseRect = clipToSlide(
        { x: col * size, y: row * size, width: size, height: size },
        options,
      );
      cell = { col, row, cellBaseRect, tiles: [] };
      cells.set(key, cell);
    }
    cell.tiles.push(tile);
  }
  return cells;
}

/** The map key of a cell. */
export function cellKey(col: number, row: number): string {
  return `${col},${row}`;
}

function clipToSlide(rect: Rect, options: GridOptions): Rect {
  const width = Math.max(1, Math.min(rect.width, options.slideWidthPx - rect.x));
  const height = Math.max(1, Math.min(rect.height, options.slideHeightPx - rect.y));
  return { ...rect, width, height };
}

/** Whether a tile holds tissue the model looked at (readable, not empty). */
export function isTissueTile(tile: StoredTileUncertainty): boolean {
  return !tile.flags.includes('no-tissue') && !tile.flags.includes('unreadable');
}

function weightedMean(
  pairs: Array<[value: number | null, weight: number]>,
): number | null {
  let sum = 0;
  let weights = 0;
  for (const [value, weight] of pairs) {
    if (value === null || weight <= 0) continue;
    sum += value * weight;
    weights += weight;
  }
  return weights > 0 ? sum / weights : null;
}

/**
 * Aggregates tiles: entropies weighted by tissue fraction (nucleus map) and by nucleus
 * pixels (type map), set size per typed nucleus, fractions over assessed tiles
 * (tissue tiles plus unreadable ones, which may have held tissue).
 */
export function aggregateTiles(tiles: readonly StoredTileUncertainty[]): RegionMeasures {
  const tissue = tiles.filter(isTissueTile);
  const assessed = tiles.filter((t) => isTissueTile(t) || t.flags.includes('unreadable'));
  const withDistance = tissue.filter((t) => t.oodDistance !== null);
  const sum = (pick: (t: StoredTileUncertainty) => number) =>
    tiles.reduce((total, t) => total + pick(t), 0);
  const fraction = (count: number, of: number) => (of > 0 ? count / of : 0);
  const typedNucleusCount = sum((t) => t.typedNucleusCount);

  return {
    tileCount: tiles.length,
    tissueTileCount: tissue.length,
    npEntropyMean: weightedMean(tissue.map((t) => [t.npEntropyMean, t.tissueFraction])),
    ntEntropyMean: weightedMean(tissue.map((t) => [t.ntEntropyMean, t.ntEntropyPixels])),
    meanSetSize:
      typedNucleusCount > 0 ? sum((t) => t.setSizeSum) / typedNucleusCount : null,
    oodDistanceMax: withDistance.length
      ? withDistance.reduce((max, t) => Math.max(max, t.oodDistance ?? 0), 0)
      : null,
    oodTileFraction: fraction(
      withDistance.filter((t) => t.isOod).length,
      withDistance.length,
    ),
    qualityFailureFraction: fraction(
      assessed.filter((t) => t.flags.some((f) => QUALITY_FAILURES.has(f))).length,
      assessed.length,
    ),
    stainOutlierFraction: fraction(
      tissue.filter((t) => t.flags.includes('stain-out-of-range')).length,
      tissue.length,
    ),
    mppOutOfRangeTileCount: tiles.filter((t) => t.flags.includes('mpp-out-of-range'))
      .length,
    nucleusCount: sum((t) => t.nucleusCount),
    typedNucleusCount,
    neoplasticCount: sum((t) => t.neoplasticCount),
  };
}
