/**
 * Handlers that record a pathologist's decisions (on an ROI, on a slide) and read the
 * audit trail. The reviewer is the workstation's signed-in user, never a name the
 * renderer sends. No channel edits or deletes audit rows.
 */
import { AppError } from '../../../src-shared/errors';
import type { AuditEntry, SlideReview } from '../../../src-shared/ipc-result-schemas';
import type { AuditEntry as StoredAuditEntry } from '../../store/audit-log';
import type { AppServices } from '../app-services';
import type { IpcHandlers } from '../ipc-router';
import { roiWithReview } from '../roi-reviews';
import { analysisStoreId, roiStoreId, slideStoreId, toContractId } from '../store-ids';
import { analysisOfRoi, readRois } from '../triage-queries';

type ReviewHandlers = Pick<IpcHandlers, 'rois:review' | 'review:record' | 'audit:list'>;

type Decision = SlideReview['decision'];

function reviewRoi(
  services: AppServices,
  roiId: string,
  decision: Decision,
  comment: string,
) {
  const { store } = services;
  const storeRoiId = roiStoreId(roiId);
  const analysisId = analysisOfRoi(store, storeRoiId);
  if (analysisId === null)
    throw new AppError('STORE_NOT_FOUND', 'No region of interest with that id.');

  store.reviews.recordRoiReview({
    analysisId,
    roiId: storeRoiId,
    reviewer: services.actor,
    decision,
    note: comment === '' ? null : comment,
  });
  const roi = readRois(store, analysisId).find(
    (candidate) => candidate.roiId === storeRoiId,
  );
  if (!roi)
    throw new AppError(
      'STORE_NOT_FOUND',
      'The region was re-triaged; reload the worklist.',
    );
  return roiWithReview(analysisId, roi, store.reviews.listRoiReviews(analysisId));
}

function recordSlideReview(
  services: AppServices,
  request: { analysisId: string; decision: Decision; comment: string },
): SlideReview {
  const { store } = services;
  const analysis = store.getAnalysis(analysisStoreId(request.analysisId));
  const reviewId = store.reviews.recordSlideReview({
    slideId: analysis.slideId,
    analysisId: analysis.id,
    reviewer: services.actor,
    decision: request.decision,
    shadowReading: null,
    note: request.comment === '' ? null : request.comment,
  });
  const stored = store.reviews
    .listSlideReviews(analysis.slideId)
    .find((r) => r.id === reviewId);
  return {
    reviewId: toContractId(reviewId),
    analysisId: request.analysisId,
    decision: request.decision,
    comment: request.comment,
    reviewer: services.actor,
    recordedAt: stored?.createdAt ?? new Date().toISOString(),
  };
}

function plainDetails(details: Record<string, unknown>): AuditEntry['details'] {
  const out: AuditEntry['details'] = {};
  for (const [key, value] of Object.entries(details)) {
    const isPlain =
      value === null || ['string', 'number', 'boolean'].includes(typeof value);
    out[key] = isPlain
      ? (value as string | number | boolean | null)
      : JSON.stringify(value);
  }
  return out;
}

function toContractAudit(entry: StoredAuditEntry): AuditEntry {
  return {
    auditId: entry.id,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    slideId: entry.slideId === null ? null : toContractId(entry.slideId),
    analysisId: entry.analysisId === null ? null : toContractId(entry.analysisId),
    details: plainDetails(entry.details),
  };
}

function listAudit(
  services: AppServices,
  request: { slideId: string | null; limit: number; beforeAuditId: number | null },
): AuditEntry[] {
  const filter =
    request.slideId === null ? {} : { slideId: slideStoreId(request.slideId) };
  const before = request.beforeAuditId ?? Number.POSITIVE_INFINITY;
  return services.store.reviews
    .listAudit(filter)
    .filter((entry) => entry.id < before)
    .reverse()
    .slice(0, request.limit)
    .map(toContractAudit);
}

/** The review and audit handlers. */
export function createReviewHandlers(services: AppServices): ReviewHandlers {
  return {
    'rois:review': (request) =>
      reviewRoi(services, request.roiId, request.decision, request.comment),
    'review:record': (request) => recordSlideReview(services, request),
    'audit:list': (request) => listAudit(services, request),
  };
}
