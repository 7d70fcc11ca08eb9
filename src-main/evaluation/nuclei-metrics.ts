/**
 * Nuclei segmentation and detection scores of one image:
 * - PQ = DQ x SQ (Kirillov et al. 2019; Graham et al. 2019): a predicted and a true
 *   nucleus match when their IoU exceeds 0.5, which makes matches unique;
 *   DQ = TP / (TP + FP/2 + FN/2), SQ = mean IoU of the matches.
 * - AJI (Kumar et al. 2017) as HoVer-Net's `get_fast_aji`: each true nucleus is
 *   paired with the prediction of highest IoU; unpaired nuclei of either side add
 *   their area to the union.
 * - Detection P/R/F1: centroids match when closer than a radius, pairs taken by
 *   increasing distance (greedy one-to-one).
 */
import {
  computeOverlap,
  instanceStats,
  type InstanceMap,
  type Overlap,
} from './instance-overlap';

/** PQ and its factors, with the counts behind them. */
export interface PanopticScores {
  pq: number;
  dq: number;
  sq: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

/** Detection precision, recall and F1 at a centroid radius. */
export interface DetectionScores {
  precision: number;
  recall: number;
  f1: number;
  matched: number;
  truthCount: number;
  predictedCount: number;
}

const MATCH_IOU = 0.5;

/** A true and a predicted nucleus matched with IoU > 0.5 (each in at most one match). */
export interface PanopticMatch {
  truthId: number;
  predictedId: number;
  iou: number;
}

/** Every IoU > 0.5 match of an overlap; such matches are unique on both sides. */
export function panopticMatches(overlap: Overlap): PanopticMatch[] {
  const matches: PanopticMatch[] = [];
  for (const [truthId, row] of overlap.intersections) {
    for (const [predictedId, intersection] of row) {
      const iou = pairIou(overlap, { truthId, predictedId, intersection });
      if (iou > MATCH_IOU) matches.push({ truthId, predictedId, iou });
    }
  }
  return matches;
}

/** PQ, DQ and SQ of an overlap (IoU > 0.5 matching). */
export function panopticQuality(overlap: Overlap): PanopticScores {
  const matches = panopticMatches(overlap);
  const truePositives = matches.length;
  const iouSum = matches.reduce((sum, match) => sum + match.iou, 0);

  const falseNegatives = overlap.truth.ids.length - truePositives;
  const falsePositives = overlap.predicted.ids.length - truePositives;
  const denominator = truePositives + 0.5 * falsePositives + 0.5 * falseNegatives;
  const dq = denominator > 0 ? truePositives / denominator : 0;
  const sq = truePositives > 0 ? iouSum / truePositives : 0;
  return { pq: dq * sq, dq, sq, truePositives, falsePositives, falseNegatives };
}

function pairIou(
  overlap: Overlap,
  pair: { truthId: number; predictedId: number; intersection: number },
): number {
  return pair.intersection / pairUnion(overlap, pair);
}

function pairUnion(
  overlap: Overlap,
  pair: { truthId: number; predictedId: number; intersection: number },
): number {
  return (
    (overlap.truth.areaPx.get(pair.truthId) as number) +
    (overlap.predicted.areaPx.get(pair.predictedId) as number) -
    pair.intersection
  );
}

/** Aggregated Jaccard Index of an overlap; 0 when both maps are empty. */
export function aggregatedJaccard(overlap: Overlap): number {
  let intersectionSum = 0;
  let unionSum = 0;
  const pairedPredicted = new Set<number>();

  for (const t of overlap.truth.ids) {
    const best = bestPartner(overlap, t);
    if (best) {
      intersectionSum += best.intersection;
      unionSum += best.union;
      pairedPredicted.add(best.predictedId);
    } else {
      unionSum += overlap.truth.areaPx.get(t) as number;
    }
  }
  for (const p of overlap.predicted.ids) {
    if (!pairedPredicted.has(p)) unionSum += overlap.predicted.areaPx.get(p) as number;
  }
  return unionSum > 0 ? intersectionSum / unionSum : 0;
}

/** The prediction of highest IoU with true nucleus `t` (lowest id on ties), or null. */
function bestPartner(
  overlap: Overlap,
  t: number,
): { predictedId: number; intersection: number; union: number } | null {
  const row = overlap.intersections.get(t);
  if (!row) return null;
  let best: {
    predictedId: number;
    intersection: number;
    union: number;
    iou: number;
  } | null = null;
  for (const p of [...row.keys()].sort((a, b) => a - b)) {
    const intersection = row.get(p) as number;
    const union = pairUnion(overlap, { truthId: t, predictedId: p, intersection });
    const iou = intersection / union;
    if (!best || iou > best.iou) best = { predictedId: p, intersection, union, iou };
  }
  return best;
}

/** Detection scores of two maps with centroids matched within `radiusPx`. */
export function detectionScores(
  truth: InstanceMap,
  predicted: InstanceMap,
  radiusPx: number,
): DetectionScores {
  const truthCentroids = [...instanceStats(truth).centroid.values()];
  const predictedCentroids = [...instanceStats(predicted).centroid.values()];
  return matchCentroids(truthCentroids, predictedCentroids, radiusPx);
}

/**
 * Greedy one-to-one centroid pairs: candidate pairs within `radiusPx` taken by
 * increasing distance (ties by truth then prediction index), each point used once.
 * Returns `[truth index, predicted index]` pairs.
 */
export function greedyCentroidPairs(
  truth: { x: number; y: number }[],
  predicted: { x: number; y: number }[],
  radiusPx: number,
): [number, number][] {
  const candidates: { t: number; p: number; distance: number }[] = [];
  truth.forEach((a, t) =>
    predicted.forEach((b, p) => {
      const distance = Math.hypot(a.x - b.x, a.y - b.y);
      if (distance <= radiusPx) candidates.push({ t, p, distance });
    }),
  );
  candidates.sort((a, b) => a.distance - b.distance || a.t - b.t || a.p - b.p);

  const usedTruth = new Set<number>();
  const usedPredicted = new Set<number>();
  const pairs: [number, number][] = [];
  for (const { t, p } of candidates) {
    if (usedTruth.has(t) || usedPredicted.has(p)) continue;
    usedTruth.add(t);
    usedPredicted.add(p);
    pairs.push([t, p]);
  }
  return pairs;
}

/** Greedy one-to-one centroid matching by increasing distance, within `radiusPx`. */
export function matchCentroids(
  truth: { x: number; y: number }[],
  predicted: { x: number; y: number }[],
  radiusPx: number,
): DetectionScores {
  return detectionFromCounts({
    matched: greedyCentroidPairs(truth, predicted, radiusPx).length,
    truthCount: truth.length,
    predictedCount: predicted.length,
  });
}

/** Precision, recall and F1 from match counts (0 where a denominator is 0). */
export function detectionFromCounts(counts: {
  matched: number;
  truthCount: number;
  predictedCount: number;
}): DetectionScores {
  const { matched, truthCount, predictedCount } = counts;
  const precision = predictedCount > 0 ? matched / predictedCount : 0;
  const recall = truthCount > 0 ? matched / truthCount : 0;
  const f1 =
    truthCount + predictedCount > 0 ? (2 * matched) / (truthCount + predictedCount) : 0;
  return { precision, recall, f1, matched, truthCount, predictedCount };
}

/** PQ and AJI of two maps in one call. */
export function segmentationScores(
  truth: InstanceMap,
  predicted: InstanceMap,
): PanopticScores & { aji: number } {
  const overlap = computeOverlap(truth, predicted);
  return { ...panopticQuality(overlap), aji: aggregatedJaccard(overlap) };
}
