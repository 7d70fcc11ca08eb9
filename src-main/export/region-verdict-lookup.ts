/**
 * Which verdict region holds a point: the region grid of the latest triage run,
 * searched by its cells' level-0 rectangles, so that each exported nucleus can say
 * whether the region it lies in was Reliable, to be reviewed or Out-of-domain.
 */
import type { Verdict } from '../../src-shared/verdict';
import type { RegionVerdictRecord } from '../store/triage-region-reads';

/** The verdict of the region holding level-0 point (x, y), or `null` outside all. */
export type RegionVerdictAt = (x: number, y: number) => Verdict | null;

/** Index of the last start <= value in ascending `starts`, or -1. */
function lastStartAtOrBefore(starts: readonly number[], value: number): number {
  let low = 0;
  let high = starts.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (starts[middle]! <= value) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

function sortedUnique(values: Iterable<number>): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/**
 * A lookup over `regions` (cells of one grid, possibly with gaps and clipped edge
 * cells); a point on a shared edge belongs to the cell starting there. A point past
 * the grid's outer edge (a nucleus owned by an edge tile of an analysed region, whose
 * centroid lies just outside it) takes the verdict of the edge cell nearest to it.
 */
export function regionVerdictLookup(regions: RegionVerdictRecord[]): RegionVerdictAt {
  if (regions.length === 0) return () => null;
  const xStarts = sortedUnique(regions.map((r) => r.cellBaseRect.x));
  const yStarts = sortedUnique(regions.map((r) => r.cellBaseRect.y));
  const byStart = new Map(
    regions.map((r) => [`${r.cellBaseRect.x},${r.cellBaseRect.y}`, r] as const),
  );
  const right = Math.max(...regions.map((r) => r.cellBaseRect.x + r.cellBaseRect.width));
  const bottom = Math.max(
    ...regions.map((r) => r.cellBaseRect.y + r.cellBaseRect.height),
  );
  const clamp = (value: number, low: number, high: number) =>
    Math.min(Math.max(value, low), high - 1e-6);
  return (pointX, pointY) => {
    const x = clamp(pointX, xStarts[0]!, right);
    const y = clamp(pointY, yStarts[0]!, bottom);
    const column = lastStartAtOrBefore(xStarts, x);
    const row = lastStartAtOrBefore(yStarts, y);
    if (column < 0 || row < 0) return null;
    const cell = byStart.get(`${xStarts[column]!},${yStarts[row]!}`);
    if (!cell) return null;
    const rect = cell.cellBaseRect;
    const inside = x < rect.x + rect.width && y < rect.y + rect.height;
    return inside ? cell.verdict : null;
  };
}
