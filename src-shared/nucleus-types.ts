/**
 * Nuclei as the post-processing produces them, and the pure mapping from a tile's
 * pixels to level-0 pixels.
 */
import type { Point } from './geometry';

/**
 * One nucleus found in a model tile. Coordinates are in tile pixels (pixels of the
 * tile the model saw, at the bundle's target mpp) unless the name says `base`.
 */
export interface TileNucleus {
  /** Closed contour, simplified, in tile pixels; the first point is not repeated. */
  contourTilePx: Point[];
  /** Centre of mass of the nucleus pixels, in tile pixels. */
  centroidTilePx: Point;
  /** Number of pixels of the nucleus in the tile. */
  areaTilePx: number;
  /**
   * `nt` channel chosen by majority vote over the nucleus pixels (1..classes), or
   * `null` when the bundle has no type output.
   */
  classIndex: number | null;
  /**
   * The type distribution: per pixel softmax(nt / T) with the background dropped and
   * the classes renormalised, averaged over the nucleus pixels. One entry per `nt`
   * channel so that entry c is class index c; entry 0 (background) is always 0 and
   * entries 1.. sum to 1. `null` without types.
   */
  meanClassProbabilities: number[] | null;
  /** Mean nucleus probability softmax(np / T)[1] over the nucleus pixels. */
  meanNucleusProbability: number;
  /** Mean per-pixel entropy (nats) of the two-class nucleus distribution. */
  meanNpEntropy: number;
  /**
   * Mean per-pixel entropy (nats) of the renormalised class distribution (background
   * dropped); `null` without types.
   */
  meanNtEntropy: number | null;
}

/** A nucleus in level-0 pixels. */
export interface BaseNucleus extends Omit<
  TileNucleus,
  'contourTilePx' | 'centroidTilePx' | 'areaTilePx'
> {
  contourBase: Point[];
  centroidBase: Point;
  /** Area in level-0 pixels squared. */
  areaBasePx: number;
}

/** Where a model tile sits on the slide. */
export interface TilePlacement {
  /** Level-0 x of the tile's top-left pixel. */
  originBaseX: number;
  /** Level-0 y of the tile's top-left pixel. */
  originBaseY: number;
  /** Level-0 pixels per tile pixel (target mpp / slide mpp at level 0). */
  basePerTilePx: number;
}

/** Maps a tile-pixel point to level-0 pixels. */
export function tilePointToBase(point: Point, placement: TilePlacement): Point {
  return {
    x: placement.originBaseX + point.x * placement.basePerTilePx,
    y: placement.originBaseY + point.y * placement.basePerTilePx,
  };
}

/** Maps a nucleus from tile pixels to level-0 pixels (contour, centroid, area). */
export function nucleusToBase(
  nucleus: TileNucleus,
  placement: TilePlacement,
): BaseNucleus {
  const { contourTilePx, centroidTilePx, areaTilePx, ...measures } = nucleus;
  return {
    ...measures,
    contourBase: contourTilePx.map((point) => tilePointToBase(point, placement)),
    centroidBase: tilePointToBase(centroidTilePx, placement),
    areaBasePx: areaTilePx * placement.basePerTilePx * placement.basePerTilePx,
  };
}
