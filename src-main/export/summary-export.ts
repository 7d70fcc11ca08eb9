/**
 * The slide summary as one JSON document: the analysis identity, nuclei per type,
 * the triage verdict with its reasons and verdict grid counts, and every ranked
 * ROI with its priority, reasons and rectangle in level-0 pixels. It names the
 * slide by content id only, so it can leave the workstation with the case.
 */
import { createLogger } from '../logging/logger';
import type { ResultStore } from '../store/index';
import { openExportFile } from './export-file';
import { exportContext } from './export-nuclei';
import {
  analysisIdentity,
  slideSummaryMetadata,
  type AnalysisIdentity,
  type SlideSummaryMetadata,
} from './slide-summary';
import { readExportTriage, type ExportRoi } from './triage-results';

const log = createLogger('export');

/** The document {@link exportSummary} writes; `formatVersion` changes when fields do. */
export interface SlideSummaryDocument extends AnalysisIdentity, SlideSummaryMetadata {
  format: 'cellvit-slide-summary';
  formatVersion: 1;
  /**
   * The ranked ROIs, best first. Ranking already keeps only the top windows that
   * survive overlap suppression, so all of them are listed.
   */
  topRois: ExportRoi[];
}

/** Options of {@link exportSummary}. */
export interface SummaryExportOptions {
  store: ResultStore;
  analysisId: number;
  outPath: string;
}

/** Builds the summary of `analysisId` (throws STORE_NOT_FOUND when absent). */
export function buildSlideSummary(
  store: ResultStore,
  analysisId: number,
): SlideSummaryDocument {
  const context = exportContext(store, analysisId);
  const triage = readExportTriage(context);
  return {
    format: 'cellvit-slide-summary',
    formatVersion: 1,
    ...analysisIdentity(context),
    ...slideSummaryMetadata(context, triage),
    topRois: triage?.rois ?? [],
  };
}

/** Writes the summary to `outPath`; returns the number of ROIs it lists. */
export async function exportSummary(options: SummaryExportOptions): Promise<number> {
  const summary = buildSlideSummary(options.store, options.analysisId);
  const file = openExportFile(options.outPath);
  try {
    await file.write(`${JSON.stringify(summary, null, 2)}\n`);
    await file.finish();
  } catch (error) {
    await file.abort();
    throw error;
  }
  log.info('export.summary.done', {
    analysisId: options.analysisId,
    verdict: summary.triage?.verdict ?? null,
    roiCount: summary.topRois.length,
  });
  return summary.topRois.length;
}
