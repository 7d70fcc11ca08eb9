/**
 * The triage of an analysis as exporters read it: the latest stored slide
 * summary, its ranked ROIs with the reasons behind them, and the verdict grid.
 * Coordinates are level-0 pixels; nothing here names the slide file.
 */
import { intersectRects, type Rect } from '../../src-shared/geometry';
import {
  VERDICT_REASON_TEXT,
  VERDICTS,
  type RoiPriority,
  type Verdict,
  type VerdictReason,
} from '../../src-shared/verdict';
import { readRois, type StoredRoi } from '../ipc/triage-queries';
import {
  readLatestTriageRun,
  readRegionVerdicts,
  type RegionVerdictRecord,
} from '../store/triage-region-reads';
import { readSlideSummary, type SlideSummary } from '../uncertainty/index';
import { round, type ExportContext } from './export-nuclei';

/** A verdict reason with the sentence the app shows for it. */
export interface ExportReason extends VerdictReason {
  text: string;
}

/** One ranked ROI as exported. */
export interface ExportRoi {
  rank: number;
  priority: RoiPriority;
  /** Weighted sum of the parts, 0 to 1. */
  score: number;
  /** Each part 0 to 1, with the weight it carries in `score`. */
  scoreParts: { uncertainty: number; density: number; neoplasticFraction: number };
  scoreWeights: { uncertainty: number; density: number; neoplasticFraction: number };
  /** The verdict of the ROI's own region (the cells it spans, pooled). */
  verdict: Verdict;
  nucleusCount: number;
  baseRect: Rect;
  /** Reasons recorded on the grid cells the ROI spans, most severe first. */
  reasons: ExportReason[];
}

/** Everything stored about the latest triage of an analysis. */
export interface ExportTriage {
  triageVersion: number;
  /** ISO 8601 UTC time the triage run was stored. */
  triagedAt: string;
  summary: SlideSummary;
  /** Best first. */
  rois: ExportRoi[];
  /** Cells holding tissue (or an unreadable tile), row-major. */
  regions: RegionVerdictRecord[];
}

/** The reason with its sentence; value and threshold rounded to 4 decimals. */
export function exportReason(reason: VerdictReason): ExportReason {
  return {
    code: reason.code,
    verdict: reason.verdict,
    value: reason.value === null ? null : round(reason.value, 4),
    threshold: reason.threshold === null ? null : round(reason.threshold, 4),
    text: VERDICT_REASON_TEXT[reason.code],
  };
}

const severity = (reason: VerdictReason) => VERDICTS.indexOf(reason.verdict);

/** Whether `a` says more than `b`: a worse verdict, or the same with a larger value. */
function outweighs(a: VerdictReason, b: VerdictReason): boolean {
  if (severity(a) !== severity(b)) return severity(a) > severity(b);
  return (a.value ?? -Infinity) > (b.value ?? -Infinity);
}

/**
 * The reasons of the cells overlapping `baseRect`, one per code (the most severe,
 * then the largest measured value, wins), out-of-domain reasons first. An ROI row
 * stores only its pooled verdict, so its cells' reasons are what explains it.
 */
export function reasonsWithin(
  baseRect: Rect,
  regions: readonly RegionVerdictRecord[],
): ExportReason[] {
  const byCode = new Map<string, VerdictReason>();
  for (const region of regions) {
    if (!intersectRects(baseRect, region.cellBaseRect)) continue;
    for (const reason of region.reasons) {
      const known = byCode.get(reason.code);
      if (!known || outweighs(reason, known)) byCode.set(reason.code, reason);
    }
  }
  return [...byCode.values()].sort((a, b) => severity(b) - severity(a)).map(exportReason);
}

function roundRect(baseRect: Rect): Rect {
  return {
    x: round(baseRect.x, 2),
    y: round(baseRect.y, 2),
    width: round(baseRect.width, 2),
    height: round(baseRect.height, 2),
  };
}

function exportRoi(roi: StoredRoi, regions: readonly RegionVerdictRecord[]): ExportRoi {
  const { weights, ...parts } = roi.parts;
  return {
    rank: roi.rank,
    priority: roi.priority,
    score: round(roi.score, 4),
    scoreParts: {
      uncertainty: round(parts.uncertainty, 4),
      density: round(parts.density, 4),
      neoplasticFraction: round(parts.neoplasticFraction, 4),
    },
    scoreWeights: { ...weights },
    verdict: roi.verdict,
    nucleusCount: roi.nucleusCount,
    baseRect: roundRect(roi.roiBaseRect),
    reasons: reasonsWithin(roi.roiBaseRect, regions),
  };
}

/** The latest triage of the context's analysis, or `null` when it was never triaged. */
export function readExportTriage(context: ExportContext): ExportTriage | null {
  const { store, analysis } = context;
  const run = readLatestTriageRun(store.db, analysis.id);
  const summary = readSlideSummary(store.db, analysis.id);
  if (!run || !summary) return null;

  const regions = readRegionVerdicts(store.db, analysis.id);
  return {
    triageVersion: run.triageVersion,
    triagedAt: run.createdAt,
    summary,
    rois: readRois(store, analysis.id).map((roi) => exportRoi(roi, regions)),
    regions,
  };
}
