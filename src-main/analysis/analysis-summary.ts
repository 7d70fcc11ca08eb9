/**
 * The outcome a job reports: counts read back from the store (so a resumed run
 * reports the whole analysis, not just its own part), timing and the triage.
 */
import { VERDICT_REASON_TEXT, type VerdictReason } from '../../src-shared/verdict';
import { readRegionVerdicts } from '../store/triage-region-reads';
import { readSlideSummary } from '../uncertainty/triage-store';
import type { SlideSummary } from '../uncertainty/types';
import type { Execution } from './analysis-execution';
import type { AnalysisEnd, AnalysisOutcome, InferenceReport } from './analysis-types';
import type { StageClock } from './stage-clock';

/** Name stored counts use for nuclei without a type. */
export const UNTYPED_NAME = 'unclassified';

/** Builds the outcome of an execution that ended as `end`. */
export function summariseOutcome(input: {
  execution: Execution;
  end: AnalysisEnd;
  clock: StageClock;
  summary: SlideSummary | null;
  inference: InferenceReport | null;
}): AnalysisOutcome {
  const { execution, end } = input;
  const { store, mpp, regionBase } = execution.resources;
  const asked = execution.options.regionBase;
  const analysis = store.getAnalysis(execution.prepared.analysis.id);
  const summary =
    input.summary ??
    (end === 'already-done' ? readSlideSummary(store.db, analysis.id) : null);

  return {
    end,
    analysisId: analysis.id,
    bundle: analysis.bundle,
    tilesTotal: execution.prepared.tiles.length,
    tilesRun:
      end === 'already-done' ? 0 : tilesRunBy(execution, analysis.committedTileCount),
    nucleusCount: analysis.nucleusCount,
    countsByType: countsByTypeName(execution),
    mpp,
    region: asked ? { analysed: regionBase, asked } : null,
    durationMs: performance.now() - execution.startedMs,
    stageTimesMs: input.clock.totals(),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    triage: summary
      ? {
          verdict: summary.verdict,
          reasons: summary.reasons.map((reason) => describeReason(reason)),
          regionReasons: describeRegionReasons(
            readRegionVerdicts(store.db, analysis.id).map((region) => region.reasons),
          ),
        }
      : null,
    inference: input.inference,
  };
}

function tilesRunBy(execution: Execution, committedTileCount: number): number {
  const { prepared } = execution;
  const committedBefore = prepared.tiles.length - prepared.pendingTiles.length;
  return Math.max(0, committedTileCount - committedBefore);
}

function countsByTypeName(execution: Execution): Record<string, number> {
  const { store } = execution.resources;
  const analysisId = execution.prepared.analysis.id;
  const classes = store.getAnalysis(analysisId).nucleusClasses;
  const names = new Map<number, string>([[0, UNTYPED_NAME]]);
  for (const nucleusClass of classes) names.set(nucleusClass.index, nucleusClass.name);

  const counts: Record<string, number> = {};
  for (const tile of store.listTileSummaries(analysisId)) {
    tile.countsByType.forEach((count, index) => {
      if (count === 0) return;
      const name = names.get(index) ?? `class ${index}`;
      counts[name] = (counts[name] ?? 0) + count;
    });
  }
  return counts;
}

/**
 * The reason's text, then what was measured against which limit, e.g. "Measured
 * 1.000, limit 0.050."
 */
export function describeReason(reason: SlideSummary['reasons'][number]): string {
  const text = VERDICT_REASON_TEXT[reason.code];
  if (reason.value === null) return text;
  const limit =
    reason.threshold === null ? '' : `, limit ${formatNumber(reason.threshold)}`;
  return `${text} Measured ${formatNumber(reason.value)}${limit}.`;
}

/**
 * Per reason given by any region (each region's list of reasons), most frequent
 * first: how many regions gave it and the largest measure behind it, e.g. "19 of 19
 * regions: Tissue features are far ... Largest 27.900, limit 12.110."
 */
export function describeRegionReasons(reasonsByRegion: VerdictReason[][]): string[] {
  const byCode = new Map<
    VerdictReason['code'],
    { regions: number; largest: VerdictReason }
  >();
  for (const reasons of reasonsByRegion) {
    for (const reason of reasons) {
      const entry = byCode.get(reason.code);
      if (!entry) byCode.set(reason.code, { regions: 1, largest: reason });
      else {
        entry.regions += 1;
        if ((reason.value ?? -Infinity) > (entry.largest.value ?? -Infinity))
          entry.largest = reason;
      }
    }
  }
  const total = reasonsByRegion.length;
  return [...byCode.values()]
    .sort((a, b) => b.regions - a.regions)
    .map(({ regions, largest }) => {
      const text = VERDICT_REASON_TEXT[largest.code];
      const limit =
        largest.threshold === null ? '' : `, limit ${formatNumber(largest.threshold)}`;
      const measured =
        largest.value === null ? '' : ` Largest ${formatNumber(largest.value)}${limit}.`;
      return `${regions} of ${total} regions: ${text}${measured}`;
    });
}

/** Three decimals for every value, so a measure and its limit read alike. */
function formatNumber(value: number): string {
  return value.toFixed(3);
}
