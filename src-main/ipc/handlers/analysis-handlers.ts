/**
 * Handlers that start, follow and cancel analyses, list a slide's analyses and
 * summarise a finished one. The work itself runs in a separate process.
 */
import type { AnalysisSummary } from '../../../src-shared/ipc-result-schemas';
import type { AnalysisRecord } from '../../store/store-types';
import { readSlideSummary, type SlideSummary } from '../../uncertainty/index';
import type { AppServices } from '../app-services';
import type { IpcHandlers } from '../ipc-router';
import { analysisBrief } from '../slide-summaries';
import { analysisStoreId, slideStoreId, toContractId } from '../store-ids';
import { analysisMpp } from '../../store/analysis-mpp';

type AnalysisHandlers = Pick<
  IpcHandlers,
  | 'analysis:start'
  | 'analysis:cancel'
  | 'analysis:progress'
  | 'analysis:list'
  | 'analysis:summary'
>;

function runningAnalysisOf(services: AppServices, slideId: number): string | null {
  const running = services.store
    .listAnalyses(slideId)
    .find((a) => a.status === 'running');
  return running ? toContractId(running.id) : null;
}

function startAnalysis(services: AppServices, slideId: string, mppX: number | null) {
  const storeSlideId = slideStoreId(slideId);
  const slide = services.store.getSlide(storeSlideId);
  const { inferenceThreads: threads, executionProviders } = services.settings.get();
  services.store.reviews.appendAudit({
    actor: services.actor,
    action: 'analysis.requested',
    slideId: storeSlideId,
    details: { hasUserMpp: mppX !== null, bundleId: services.bundle.brief?.id ?? null },
  });
  return services.analyses.start({
    slideId,
    options: {
      slidePath: slide.lastPath,
      dbPath: services.dbPath,
      ...(services.bundlePath ? { bundlePath: services.bundlePath } : {}),
      ...(mppX !== null ? { userMppX: mppX } : {}),
      ...(threads > 0 ? { intraOpThreads: threads } : {}),
      executionProviders,
    },
    findAnalysisId: () => runningAnalysisOf(services, storeSlideId),
  });
}

function classCounts(analysis: AnalysisRecord, counts: Record<number, number>) {
  const classes = new Map(analysis.nucleusClasses.map((c) => [c.index, c]));
  return Object.entries(counts).map(([index, count]) => {
    const recorded = classes.get(Number(index));
    return {
      classIndex: Number(index),
      name: recorded?.name ?? 'unclassified',
      count,
      ...(recorded ? { color: recorded.color } : {}),
    };
  });
}

function siteProfileOf(triage: SlideSummary | null): AnalysisSummary['siteProfile'] {
  if (!triage) return null;
  const { profileSiteId, profileVersion, isColdStart } = triage.settings;
  return { siteId: profileSiteId, version: profileVersion, isColdStart };
}

function summarise(services: AppServices, analysisId: string): AnalysisSummary {
  const { store } = services;
  const analysis = store.getAnalysis(analysisStoreId(analysisId));
  const triage = readSlideSummary(store.db, analysis.id);
  const loaded = services.bundle.brief;
  const isLoaded =
    loaded?.id === analysis.bundle.id && loaded.version === analysis.bundle.version;
  const reviews = store.reviews
    .listSlideReviews(analysis.slideId)
    .filter((review) => review.analysisId === analysis.id);

  return {
    analysisId,
    slideId: toContractId(analysis.slideId),
    status: analysis.status,
    bundleId: analysis.bundle.id,
    bundleVersion: analysis.bundle.version,
    intendedUse: isLoaded ? loaded.intendedUse : null,
    verdict: triage?.verdict ?? null,
    reasons: triage?.reasons ?? [],
    organ: triage?.organ.hasOrganHead
      ? { name: triage.organ.organ, probability: triage.organ.probability }
      : null,
    nucleusCount: analysis.nucleusCount,
    countsByClass: triage ? classCounts(analysis, triage.countsByClass) : [],
    regionCounts: {
      reliable: triage?.regionCounts.reliable ?? 0,
      review: triage?.regionCounts.review ?? 0,
      outOfDomain: triage?.regionCounts['out-of-domain'] ?? 0,
    },
    siteProfile: siteProfileOf(triage),
    mppUsed: analysisMpp(analysis, store.getSlide(analysis.slideId).mpp),
    createdAt: analysis.startedAt,
    finishedAt: analysis.finishedAt,
    reviews: reviews.map((review) => ({
      reviewId: toContractId(review.id),
      analysisId,
      decision: review.decision,
      comment: review.note ?? '',
      reviewer: review.reviewer,
      recordedAt: review.createdAt,
    })),
  };
}

/** The analysis handlers. */
export function createAnalysisHandlers(services: AppServices): AnalysisHandlers {
  return {
    'analysis:start': (request) =>
      startAnalysis(services, request.slideId, request.mppOverride?.mppX ?? null),
    'analysis:cancel': (request) => services.analyses.cancel(request.jobId),
    'analysis:progress': (request) => services.analyses.progress(request.jobId),
    'analysis:list': (request) =>
      services.store
        .listAnalyses(slideStoreId(request.slideId))
        .map((analysis) => analysisBrief(services.store, analysis)),
    'analysis:summary': (request) => summarise(services, request.analysisId),
  };
}
