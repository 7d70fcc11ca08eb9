/** Joins an ROI with its latest review for the worklist. */
import type { Roi } from '../../src-shared/ipc-result-schemas';
import type { RoiReview } from '../store/reviews-repo';
import { toContractId } from './store-ids';
import type { StoredRoi } from './triage-queries';

/** The contract ROI with the newest review of it (reviews are append-only; the last wins). */
export function roiWithReview(
  analysisId: number,
  roi: StoredRoi,
  reviews: readonly RoiReview[],
): Roi {
  const latest = reviews.filter((review) => review.roiId === roi.roiId).at(-1) ?? null;
  return {
    roiId: toContractId(roi.roiId),
    analysisId: toContractId(analysisId),
    rank: roi.rank,
    priority: roi.priority,
    baseRect: roi.roiBaseRect,
    verdict: roi.verdict,
    score: roi.score,
    scoreParts: {
      uncertainty: roi.parts.uncertainty,
      density: roi.parts.density,
      neoplasticFraction: roi.parts.neoplasticFraction,
    },
    nucleusCount: roi.nucleusCount,
    review: {
      status: latest?.decision ?? 'unreviewed',
      comment: latest?.note ?? '',
      reviewer: latest?.reviewer ?? null,
      reviewedAt: latest?.createdAt ?? null,
    },
  };
}
