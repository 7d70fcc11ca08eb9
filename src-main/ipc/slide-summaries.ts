/** Builds the contract's slide summaries and details from store records and readers. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { deepZoomGeometry } from '../../src-shared/deep-zoom';
import type {
  AnalysisBrief,
  SlideDetails,
  SlideSummary,
} from '../../src-shared/ipc-schemas';
import type { SlideReader } from '../slides/slide-reader';
import type { ResultStore } from '../store/store';
import type { AnalysisRecord, SlideRecord } from '../store/store-types';
import { readSlideSummary } from '../uncertainty/index';
import { toContractId } from './store-ids';

/** The library entry of an analysis, with its verdict once triaged. */
export function analysisBrief(
  store: ResultStore,
  analysis: AnalysisRecord,
): AnalysisBrief {
  const triage =
    analysis.status === 'done' ? readSlideSummary(store.db, analysis.id) : null;
  return {
    analysisId: toContractId(analysis.id),
    status: analysis.status,
    verdict: triage?.verdict ?? null,
    bundleId: analysis.bundle.id,
    bundleVersion: analysis.bundle.version,
    createdAt: analysis.startedAt,
  };
}

/** The library entry of a slide. */
export function slideSummary(store: ResultStore, slide: SlideRecord): SlideSummary {
  const latest = store.listAnalyses(slide.id)[0] ?? null;
  return {
    slideId: toContractId(slide.id),
    displayName: path.basename(slide.lastPath),
    format: slide.format,
    widthPx: slide.widthPx,
    heightPx: slide.heightPx,
    mpp: slide.mpp,
    addedAt: slide.addedAt,
    isFileAvailable: existsSync(slide.lastPath),
    latestAnalysis: latest ? analysisBrief(store, latest) : null,
  };
}

/** Everything the viewer needs about one open slide. */
export function slideDetails(summary: SlideSummary, reader: SlideReader): SlideDetails {
  const { info } = reader;
  const geometry = deepZoomGeometry(info.widthPx, info.heightPx);
  return {
    ...summary,
    vendor: info.vendor,
    reader: info.reader,
    levels: info.levels,
    objectivePower: info.objectivePower,
    associatedImages: info.associatedImages,
    hasIccProfile: info.hasIccProfile,
    deepZoom: { ...geometry, format: 'jpeg' },
  };
}
