/**
 * Nucleus outlines as seam resolution compares them: whether two outlines from
 * neighbouring tiles are one nucleus, and which of them takes precedence.
 */
import { rectContains, type Rect } from '../../src-shared/geometry';
import { nucleusPolygonBase, type NucleiChunkView } from '../../src-shared/nuclei-chunk';
import {
  boundsOverlap,
  ringArea,
  ringBounds,
  ringIntersectionArea,
  type RingBounds,
} from '../../src-shared/polygon-overlap';
import type { SeamTile } from './seam-tiles';
import type { NucleusInput } from './store-types';

/**
 * Share of the smaller outline two outlines must have in common to be one nucleus.
 * On CMU-1 (0.499 mpp, default bundle, 2,310 outlines offered) 501 pairs of
 * outlines from neighbouring tiles overlap: 330 share over 90 % of the smaller,
 * the rest fall off without a gap, 34 share under 10 %. The pairs under 10 % that
 * were inspected were two nuclei whose common border the two tiles drew a pixel or
 * two apart; both must stay.
 *
 * TODO: two nuclei whose outlines overlap by less than this share are both stored,
 * overlap included - on CMU-1 one or two pairs of ~1,900 stored nuclei share
 * 10-30 level-0 px² (5-6 % of the smaller nucleus).
 */
export const SAME_NUCLEUS_FRACTION = 0.1;

/** Scanline spacing of the overlap measure, level-0 px. */
const OVERLAP_STEP_PX = 0.25;

/** One outline of a committed tile, shown or given up. */
export interface Outline {
  tile: SeamTile;
  /** Unique within a resolution: tile id, chunk and position. */
  key: string;
  /** Whether the outline is shown; updated as the resolution decides. */
  isKept: boolean;
  nucleus: NucleusInput;
  ring: Float32Array;
  bounds: RingBounds;
  areaPx: number;
  /** Distance of the centroid inside the tile's core (negative outside), level-0 px. */
  depthPx: number;
  /** Whether the tile's core holds the centroid (so the tile owns the nucleus). */
  isInsideCore: boolean;
}

/** Every outline of a tile: its shown nuclei, then those it gave up. */
export function outlinesOf(tile: SeamTile): Outline[] {
  return [
    ...chunkOutlines(tile, { chunk: tile.kept, isKept: true }),
    ...chunkOutlines(tile, { chunk: tile.suppressed, isKept: false }),
  ];
}

/** Whether two outlines of different tiles share more than {@link SAME_NUCLEUS_FRACTION}. */
export function isSameNucleus(a: Outline, b: Outline): boolean {
  if (a.tile.id === b.tile.id || !boundsOverlap(a.bounds, b.bounds)) return false;
  const [first, second] = a.tile.tileIndex < b.tile.tileIndex ? [a, b] : [b, a];
  const sharedPx = ringIntersectionArea(first.ring, second.ring, OVERLAP_STEP_PX);
  return sharedPx > SAME_NUCLEUS_FRACTION * Math.min(a.areaPx, b.areaPx);
}

/**
 * Whether `a` takes precedence over `b`: the outline whose centroid lies deeper
 * inside its own tile's core was segmented with more context around it. Ties go to
 * the lower tile index, then to the earlier position; a strict total order.
 */
export function takesPrecedence(a: Outline, b: Outline): boolean {
  if (a.depthPx !== b.depthPx) return a.depthPx > b.depthPx;
  if (a.tile.tileIndex !== b.tile.tileIndex) return a.tile.tileIndex < b.tile.tileIndex;
  return compareNucleusPosition(a.nucleus, b.nucleus) < 0;
}

/**
 * Orders nuclei by centroid (row, then column, as stored in float32), then area: the
 * order of every chunk seam resolution writes, whatever order it decided in.
 */
export function compareNucleusPosition(a: NucleusInput, b: NucleusInput): number {
  return (
    Math.fround(a.centroidBaseY) - Math.fround(b.centroidBaseY) ||
    Math.fround(a.centroidBaseX) - Math.fround(b.centroidBaseX) ||
    Math.fround(a.areaPx) - Math.fround(b.areaPx)
  );
}

/** The nuclei of a chunk as the encoder takes them (copies, exact in float32). */
export function chunkNuclei(chunk: NucleiChunkView | null): NucleusInput[] {
  if (!chunk) return [];
  const c = chunk.classCount;
  return Array.from({ length: chunk.nucleusCount }, (_, i) => ({
    polygonBase: nucleusPolygonBase(chunk, i).slice(),
    centroidBaseX: chunk.centroidsBase[2 * i]!,
    centroidBaseY: chunk.centroidsBase[2 * i + 1]!,
    areaPx: chunk.areasPx[i]!,
    typeIndex: chunk.typeIndices[i]!,
    typeProbabilities: chunk.typeProbabilities.slice(i * c, (i + 1) * c),
    nucleusProbability: chunk.nucleusProbabilities[i]!,
    nucleusEntropy: chunk.nucleusEntropies[i]!,
    typeEntropy: chunk.typeEntropies[i]!,
  }));
}

function chunkOutlines(
  tile: SeamTile,
  source: { chunk: NucleiChunkView | null; isKept: boolean },
): Outline[] {
  const { isKept } = source;
  return chunkNuclei(source.chunk).map((nucleus, index) => {
    const ring = nucleus.polygonBase as Float32Array;
    const centroid = { x: nucleus.centroidBaseX, y: nucleus.centroidBaseY };
    return {
      tile,
      key: `${tile.id}:${isKept ? 'kept' : 'given-up'}:${index}`,
      isKept,
      nucleus,
      ring,
      bounds: ringBounds(ring),
      areaPx: ringArea(ring),
      depthPx: depthInside(tile.coreBaseRect, centroid),
      isInsideCore: rectContains(tile.coreBaseRect, centroid),
    };
  });
}

/** Distance from `point` to the nearest edge of `rect`; negative outside it. */
function depthInside(rect: Rect, point: { x: number; y: number }): number {
  return Math.min(
    point.x - rect.x,
    rect.x + rect.width - point.x,
    point.y - rect.y,
    rect.y + rect.height - point.y,
  );
}
