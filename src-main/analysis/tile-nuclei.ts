/**
 * From one tile's nuclei (tile pixels) to the nuclei the tile owns (level-0 pixels):
 * a nucleus is kept only by the tile whose core holds its centroid, so neighbouring
 * overlapping tiles neither duplicate nor drop a nucleus on their seam.
 */
import { rectContains, type Rect } from '../../src-shared/geometry';
import {
  nucleusToBase,
  type BaseNucleus,
  type TileNucleus,
  type TilePlacement,
} from '../../src-shared/nucleus-types';
import type { NucleusInput } from '../store/store-types';

/** The nuclei of one tile whose level-0 centroid lies in `coreBaseRect`. */
export function ownedNuclei(
  nuclei: readonly TileNucleus[],
  placement: TilePlacement,
  coreBaseRect: Rect,
): BaseNucleus[] {
  const owned: BaseNucleus[] = [];
  for (const nucleus of nuclei) {
    const base = nucleusToBase(nucleus, placement);
    if (rectContains(coreBaseRect, base.centroidBase)) owned.push(base);
  }
  return owned;
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
