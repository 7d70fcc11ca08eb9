/**
 * From one tile's nuclei (tile pixels) to the nuclei the tile owns (level-0 pixels):
 * a nucleus belongs to the tile whose core holds its centroid. Two overlapping tiles
 * outline a nucleus on their seam slightly differently, so each outline's centroid
 * may fall on either side: centroids in both cores would duplicate the nucleus,
 * centroids in neither would drop it. The store's seam resolution removes the
 * duplicates; for the drops, a tile offers the store the nuclei whose centroid lies
 * just outside its core too, and the store keeps such an outline only where
 * another tile outlined the same nucleus and no outline of it ranks higher.
 */
import { rectContains, type Rect } from '../../src-shared/geometry';
import {
  nucleusToBase,
  type BaseNucleus,
  type TileNucleus,
  type TilePlacement,
} from '../../src-shared/nucleus-types';
import type { NucleusInput } from '../store/store-types';

/**
 * How far past its core, in tile pixels, a tile offers nuclei: half the 16 px
 * between a core edge and the tile edge at the bundle's 32 px overlap, so an
 * offered nucleus still has context on its far side. On CMU-1, 37 of 1,898 nuclei
 * stored from offered nuclei are outlines centred past their tile's core (anywhere
 * in the 0-8 px) that no outline of the owning tile outranked.
 */
export const SEAM_MARGIN_TILE_PX = 8;

/** The nuclei of one tile whose level-0 centroid lies in `coreBaseRect`. */
export function ownedNuclei(
  nuclei: readonly TileNucleus[],
  placement: TilePlacement,
  coreBaseRect: Rect,
): BaseNucleus[] {
  return nucleiCentredIn(nuclei, placement, coreBaseRect);
}

/**
 * What a tile offers the store (level-0 pixels): its owned nuclei and those whose
 * centroid lies within {@link SEAM_MARGIN_TILE_PX} outside `coreBaseRect`.
 */
export function offeredNuclei(
  nuclei: readonly TileNucleus[],
  placement: TilePlacement,
  coreBaseRect: Rect,
): BaseNucleus[] {
  const marginBasePx = SEAM_MARGIN_TILE_PX * placement.basePerTilePx;
  return nucleiCentredIn(nuclei, placement, {
    x: coreBaseRect.x - marginBasePx,
    y: coreBaseRect.y - marginBasePx,
    width: coreBaseRect.width + 2 * marginBasePx,
    height: coreBaseRect.height + 2 * marginBasePx,
  });
}

function nucleiCentredIn(
  nuclei: readonly TileNucleus[],
  placement: TilePlacement,
  baseRect: Rect,
): BaseNucleus[] {
  const found: BaseNucleus[] = [];
  for (const nucleus of nuclei) {
    const base = nucleusToBase(nucleus, placement);
    if (rectContains(baseRect, base.centroidBase)) found.push(base);
  }
  return found;
}

/**
 * Type probabilities over the listed classes only: channel 0 (background) dropped
 * and the rest renormalised to sum to 1. `null` without a type output.
 */
export function listedClassProbabilities(nucleus: BaseNucleus): number[] | null {
  const all = nucleus.meanClassProbabilities;
  if (!all || all.length < 2) return null;

  const listed = all.slice(1);
  const total = listed.reduce((sum, p) => sum + p, 0);
  if (!(total > 0)) return listed.map(() => 1 / listed.length);
  return listed.map((p) => p / total);
}

/** Area of a nucleus in µm², or `null` when the slide has no calibration. */
export function areaMicrons2(
  areaBasePx: number,
  mpp: { x: number; y: number } | null,
): number | null {
  return mpp ? areaBasePx * mpp.x * mpp.y : null;
}

/** The store's record of a nucleus (polygon flattened, level-0 pixels). */
export function toNucleusInput(nucleus: BaseNucleus): NucleusInput {
  const polygonBase = new Float64Array(nucleus.contourBase.length * 2);
  nucleus.contourBase.forEach((point, i) => {
    polygonBase[i * 2] = point.x;
    polygonBase[i * 2 + 1] = point.y;
  });

  return {
    polygonBase,
    centroidBaseX: nucleus.centroidBase.x,
    centroidBaseY: nucleus.centroidBase.y,
    areaPx: nucleus.areaBasePx,
    typeIndex: nucleus.classIndex ?? 0,
    typeProbabilities: nucleus.meanClassProbabilities ?? [],
    nucleusProbability: nucleus.meanNucleusProbability,
    nucleusEntropy: nucleus.meanNpEntropy,
    typeEntropy: nucleus.meanNtEntropy ?? 0,
  };
}
