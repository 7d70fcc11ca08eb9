/**
 * The slide summary every export carries: which slide (by content id, never by
 * path or file name), analysis, bundle and calibration produced the result, the
 * nuclei counted per type, and the triage verdict with its reasons and the
 * verdict grid's statistics.
 */
import type { Mpp } from '../../src-shared/slide-types';
import { VERDICT_PRESENTATION, VERDICTS, type Verdict } from '../../src-shared/verdict';
import type { AppliedSettings, OrganCall } from '../uncertainty/index';
import type { ExportContext } from './export-nuclei';
import { exportReason, type ExportReason, type ExportTriage } from './triage-results';
import { analysisMpp } from '../store/analysis-mpp';
import { analysedRegionOf } from '../store/analysis-region';
import type { Rect } from '../../src-shared/geometry';

/** The analysis an export comes from and what it ran with. */
export interface AnalysisIdentity {
  slideContentId: string;
  slideWidthPx: number;
  slideHeightPx: number;
  /** µm per level-0 pixel with where it came from; `null` on an uncalibrated slide. */
  mpp: Mpp | null;
  coordinateSpace: 'level-0 pixels';
  analysisId: number;
  /** The level-0 region analysed; `null` when the analysis covered the whole slide. */
  analysedRegionBase: Rect | null;
  /**
   * The bundle by id, version and the hash of its files and manifest, which tells
   * an edited copy from the bundle it was copied from.
   */
  bundle: { id: string; version: string; sha256: string };
  /** The site profile in force at the analysis start; `null` before a site had one. */
  siteProfileVersion: string | null;
  analysisStatus: string;
  nucleusCount: number;
}

/** Counts of the stored verdict cells (those holding tissue or an unreadable tile). */
export interface VerdictGridStatistics {
  cellSizeMicrons: number;
  cellCount: number;
  countsByVerdict: Record<Verdict, number>;
}

/** The slide-level triage: verdict, reasons and the settings it was made with. */
export interface TriageOverview {
  triageVersion: number;
  /** ISO 8601 UTC. */
  triagedAt: string;
  verdict: Verdict;
  /** The word the app shows for the verdict (Reliable, Review, Out-of-domain). */
  verdictLabel: string;
  reasons: ExportReason[];
  siteProfile: { siteId: string; version: number; isColdStart: boolean };
  organ: OrganCall;
  verdictGrid: VerdictGridStatistics;
  settings: AppliedSettings;
}

/** What the slide summary adds to {@link AnalysisIdentity}. */
export interface SlideSummaryMetadata {
  /** Stored nuclei per type name; `untyped` counts nuclei without a type. */
  nucleusCountsByType: Record<string, number>;
  /** `null` when the analysis has not been triaged (unfinished, or triage failed). */
  triage: TriageOverview | null;
}

/** Identifies the analysis and its inputs without naming the slide file. */
export function analysisIdentity(context: ExportContext): AnalysisIdentity {
  const { analysis, slide } = context;
  return {
    slideContentId: slide.contentId,
    slideWidthPx: slide.widthPx,
    slideHeightPx: slide.heightPx,
    mpp: analysisMpp(analysis, slide.mpp),
    coordinateSpace: 'level-0 pixels',
    analysisId: analysis.id,
    analysedRegionBase: analysedRegionOf(analysis, slide),
    bundle: {
      id: analysis.bundle.id,
      version: analysis.bundle.version,
      sha256: analysis.bundle.sha256,
    },
    siteProfileVersion: analysis.siteProfileVersion,
    analysisStatus: analysis.status,
    nucleusCount: analysis.nucleusCount,
  };
}

/** Stored nuclei per type, summed over the tile summaries (no nucleus is decoded). */
export function nucleusCountsByType(context: ExportContext): Record<string, number> {
  const totals: number[] = [];
  for (const tile of context.store.listTileSummaries(context.analysis.id)) {
    tile.countsByType.forEach((count, index) => {
      totals[index] = (totals[index] ?? 0) + count;
    });
  }

  const counts: Record<string, number> = {};
  for (const [index, typeClass] of context.classes)
    counts[typeClass.name] = totals[index] ?? 0;
  const untypedCount = totals[0] ?? 0;
  if (untypedCount > 0 || context.classes.size === 0) counts.untyped = untypedCount;
  return counts;
}

function verdictGrid(triage: ExportTriage): VerdictGridStatistics {
  const countsByVerdict = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<
    Verdict,
    number
  >;
  for (const region of triage.regions) countsByVerdict[region.verdict] += 1;
  return {
    cellSizeMicrons: triage.summary.settings.gridCellSizeMicrons,
    cellCount: triage.regions.length,
    countsByVerdict,
  };
}

/** The slide-level triage of `triage`, or `null` when there is none. */
export function triageOverview(triage: ExportTriage | null): TriageOverview | null {
  if (!triage) return null;
  const { summary } = triage;
  return {
    triageVersion: triage.triageVersion,
    triagedAt: triage.triagedAt,
    verdict: summary.verdict,
    verdictLabel: VERDICT_PRESENTATION[summary.verdict].label,
    reasons: summary.reasons.map(exportReason),
    siteProfile: {
      siteId: summary.settings.profileSiteId,
      version: summary.settings.profileVersion,
      isColdStart: summary.settings.isColdStart,
    },
    organ: summary.organ,
    verdictGrid: verdictGrid(triage),
    settings: summary.settings,
  };
}

/** The nuclei counts and triage overview of the context's analysis. */
export function slideSummaryMetadata(
  context: ExportContext,
  triage: ExportTriage | null,
): SlideSummaryMetadata {
  return {
    nucleusCountsByType: nucleusCountsByType(context),
    triage: triageOverview(triage),
  };
}
