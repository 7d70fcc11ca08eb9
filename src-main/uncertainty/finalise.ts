/**
 * Finalises an analysis: from the stored tile assessments it builds the region grid
 * with verdicts, ranks ROIs, decides the slide verdict and stores it all as one
 * versioned triage run together with the settings (profile version, temperatures,
 * thresholds) it used.
 */
import type { Database } from 'better-sqlite3';
import { createLogger } from '../logging/logger';
import { predictionSet } from './conformal';
import { aggregateTiles, buildGridCells, isTissueTile } from './region-grid';
import { rankRois } from './roi-ranking';
import type { TriageContext } from './triage-context';
import {
  loadTileUncertainty,
  readSlideSummary,
  saveTriageRun,
  type StoredTileUncertainty,
} from './triage-store';
import type { OrganCall, RankedRoi, RegionCell, SlideSummary } from './types';
import { regionVerdict, slideVerdict } from './verdicts';

export { readSlideSummary };

const log = createLogger('uncertainty');

/** How many ROIs the slide summary lists (all ranked ROIs are stored). */
const SUMMARY_ROI_COUNT = 5;

/** What {@link finaliseAnalysis} needs besides the stored tiles. */
export interface FinaliseOptions {
  context: TriageContext;
  slideWidthPx: number;
  slideHeightPx: number;
  /**
   * Temperature-scaled organ probabilities averaged over tissue tiles, in the order of
   * the bundle's `organs`; `null` when the bundle has no organ head.
   */
  organProbabilities: readonly number[] | null;
  /** Overrides the context's organ conformal quantile (tests); `null` means no sets. */
  organQuantile?: number | null;
  /** Clock of record (ISO 8601 UTC); injectable for tests. */
  nowIso?: string;
}

/** Builds and stores the triage of an analysis; returns the slide summary. */
export function finaliseAnalysis(
  db: Database,
  analysisId: number,
  options: FinaliseOptions,
): SlideSummary {
  const startedMs = performance.now();
  const { context } = options;
  // An analysis without assessed tiles found no tissue to analyse (a blank slide, or
  // a region of glass): the slide verdict then says so, as Out-of-domain.
  const tiles = loadTileUncertainty(db, analysisId);

  const regions = buildRegions(tiles, options);
  const rois = rankRois(buildGridCells(tiles, gridOptions(options)), context);
  const summary = buildSummary({ analysisId, tiles, regions, rois, options });

  const nowIso = options.nowIso ?? new Date().toISOString();
  const triageVersion = saveTriageRun(db, {
    analysisId,
    summary,
    regions,
    rois,
    createdAtIso: nowIso,
  });

  log.info('triage.finalised', {
    analysisId,
    triageVersion,
    verdict: summary.verdict,
    reasons: summary.reasons.map((r) => r.code),
    regions: regions.length,
    rois: rois.length,
    profileVersion: context.settings.profileVersion,
    durationMs: Math.round(performance.now() - startedMs),
  });
  return { ...summary, triageVersion };
}

interface SummaryParts {
  analysisId: number;
  tiles: StoredTileUncertainty[];
  regions: RegionCell[];
  rois: RankedRoi[];
  options: FinaliseOptions;
}

function buildSummary(parts: SummaryParts): Omit<SlideSummary, 'triageVersion'> {
  const { tiles, regions, rois, options } = parts;
  const slideMeasures = aggregateTiles(tiles);
  const slide = slideVerdict(
    { slideMeasures, tissueRegionVerdicts: regions.map((r) => r.verdict) },
    options.context,
  );

  return {
    analysisId: parts.analysisId,
    verdict: slide.verdict,
    reasons: slide.reasons,
    organ: organCall(options),
    countsByClass: sumCounts(tiles.map((t) => t.countsByClass)),
    nucleusCount: slideMeasures.nucleusCount,
    regionCounts: countVerdicts(regions),
    topRois: rois.slice(0, SUMMARY_ROI_COUNT),
    settings: options.context.settings,
  };
}

function gridOptions(options: FinaliseOptions) {
  const mpp = options.context.slideMppX ?? options.context.targetMpp;
  return {
    cellSizeBasePx: options.context.settings.gridCellSizeMicrons / mpp,
    slideWidthPx: options.slideWidthPx,
    slideHeightPx: options.slideHeightPx,
  };
}

function buildRegions(
  tiles: readonly StoredTileUncertainty[],
  options: FinaliseOptions,
): RegionCell[] {
  const regions: RegionCell[] = [];
  for (const cell of buildGridCells(tiles, gridOptions(options)).values()) {
    const hasSomething = cell.tiles.some(
      (t) => isTissueTile(t) || t.flags.includes('unreadable'),
    );
    if (!hasSomething) continue;
    const measures = aggregateTiles(cell.tiles);
    const { verdict, reasons } = regionVerdict(measures, options.context);
    regions.push({
      col: cell.col,
      row: cell.row,
      cellBaseRect: cell.cellBaseRect,
      ...measures,
      verdict,
      reasons,
    });
  }
  return regions;
}

function sumCounts(counts: readonly Record<number, number>[]): Record<number, number> {
  const total: Record<number, number> = {};
  for (const byClass of counts) {
    for (const [index, count] of Object.entries(byClass)) {
      total[Number(index)] = (total[Number(index)] ?? 0) + count;
    }
  }
  return total;
}

function countVerdicts(regions: readonly RegionCell[]): SlideSummary['regionCounts'] {
  const counts = { reliable: 0, review: 0, 'out-of-domain': 0 };
  for (const region of regions) counts[region.verdict] += 1;
  return counts;
}

function organCall(options: FinaliseOptions): OrganCall {
  const { organs } = options.context;
  const probabilities = options.organProbabilities;
  if (organs.length === 0 || !probabilities)
    return { hasOrganHead: false, text: 'no organ head' };

  const best = probabilities.reduce((b, p, i) => (p > probabilities[b]! ? i : b), 0);
  const quantile =
    options.organQuantile === undefined
      ? options.context.organQuantile
      : options.organQuantile;
  const set =
    quantile === null
      ? null
      : predictionSet([...probabilities], {
          score: options.context.settings.conformalScore,
          quantile,
        }).map((i) => organs[i] ?? `organ ${i}`);
  return {
    hasOrganHead: true,
    organ: organs[best] ?? `organ ${best}`,
    probability: probabilities[best] ?? 0,
    predictionSet: set,
  };
}
