/**
 * Ranks candidate ROIs for the worklist. Candidates are windows of 2 x 2 grid cells
 * sliding by one cell; each is scored from three parts in 0..1 (stored so the UI can
 * say why a region is high on the list), windows that share any area with a better
 * one are suppressed greedily (non-maximum suppression), so the worklist never sends
 * the reader to the same cells twice and its nucleus counts add up, and the rest get
 * a priority.
 *
 * - uncertainty: the largest ratio of a measure to its review threshold (nucleus
 *   entropy, type entropy, set size above 1, OOD distance), halved and capped at 1,
 *   so 0.5 means "at the review threshold";
 * - density: nuclei in the window over the 95th percentile of window counts;
 * - neoplastic fraction: nuclei typed neoplastic or epithelial over typed nuclei.
 *
 * In a window whose verdict is Out-of-domain the model's nuclei are not to be used,
 * so its density and neoplastic fraction count as zero: such a window ranks by its
 * uncertainty alone (at most "medium") instead of being raised to "critical" by
 * nuclei typed on tissue the model does not know. In a window with only some tiles
 * out of domain, the two nucleus parts are scaled by its in-domain share of tiles.
 */
import type { Rect } from '../../src-shared/geometry';
import type { RoiPriority, Verdict } from '../../src-shared/verdict';
import { aggregateTiles, cellKey, type GridCell } from './region-grid';
import type { TriageContext } from './triage-context';
import { regionVerdict } from './verdicts';
import type { RankedRoi, RegionMeasures, RoiScoreParts } from './types';

/** Weights of the score parts; they sum to 1. */
export const ROI_WEIGHTS = {
  uncertainty: 0.4,
  density: 0.3,
  neoplasticFraction: 0.3,
} as const;
const WINDOW_CELLS = 2;

/** Priority bands of the score. */
export function priorityFor(score: number): RoiPriority {
  if (score >= 0.75) return 'critical';
  if (score >= 0.55) return 'high';
  if (score >= 0.35) return 'medium';
  return 'low';
}

interface Candidate {
  roiBaseRect: Rect;
  measures: RegionMeasures;
}

function unionRect(rects: readonly Rect[]): Rect {
  const x = Math.min(...rects.map((r) => r.x));
  const y = Math.min(...rects.map((r) => r.y));
  const right = Math.max(...rects.map((r) => r.x + r.width));
  const bottom = Math.max(...rects.map((r) => r.y + r.height));
  return { x, y, width: right - x, height: bottom - y };
}

function buildCandidates(cells: ReadonlyMap<string, GridCell>): Candidate[] {
  const candidates: Candidate[] = [];
  for (const anchor of cells.values()) {
    const members: GridCell[] = [];
    for (let dy = 0; dy < WINDOW_CELLS; dy += 1) {
      for (let dx = 0; dx < WINDOW_CELLS; dx += 1) {
        const cell = cells.get(cellKey(anchor.col + dx, anchor.row + dy));
        if (cell) members.push(cell);
      }
    }
    const measures = aggregateTiles(members.flatMap((cell) => cell.tiles));
    if (measures.tissueTileCount === 0) continue;
    candidates.push({
      roiBaseRect: unionRect(members.map((c) => c.cellBaseRect)),
      measures,
    });
  }
  return candidates;
}

/**
 * The largest ratio of a measure to its review threshold, uncapped: 1 means "at the
 * threshold". It orders windows whose capped uncertainty parts tie.
 */
function uncertaintyRatio(measures: RegionMeasures, context: TriageContext): number {
  const review = context.settings.reviewThresholds;
  const oodThreshold = context.settings.oodThreshold;
  const ratios = [
    (measures.npEntropyMean ?? 0) / review.npEntropy,
    (measures.ntEntropyMean ?? 0) / review.ntEntropy,
    review.meanSetSize > 1
      ? ((measures.meanSetSize ?? 1) - 1) / (review.meanSetSize - 1)
      : 0,
    oodThreshold ? (measures.oodDistanceMax ?? 0) / oodThreshold : 0,
  ].filter(Number.isFinite);
  return Math.max(0, ...ratios);
}

function percentile95(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))] ?? 0;
}

function scoreParts(
  measures: RegionMeasures,
  context: TriageContext,
  scoring: { densityScale: number; verdict: Verdict; uncertaintyRatio: number },
) {
  // The nuclei of out-of-domain tiles are not to be used: the nucleus-driven parts
  // count only the window's in-domain share (none in an Out-of-domain window).
  const trusted =
    scoring.verdict === 'out-of-domain' ? 0 : 1 - Math.min(1, measures.oodTileFraction);
  const { densityScale } = scoring;
  const parts: RoiScoreParts = {
    uncertainty: Math.min(1, scoring.uncertaintyRatio / 2),
    density:
      densityScale > 0 ? trusted * Math.min(1, measures.nucleusCount / densityScale) : 0,
    neoplasticFraction:
      measures.typedNucleusCount > 0
        ? (trusted * measures.neoplasticCount) / measures.typedNucleusCount
        : 0,
    weights: { ...ROI_WEIGHTS },
  };
  const score =
    ROI_WEIGHTS.uncertainty * parts.uncertainty +
    ROI_WEIGHTS.density * parts.density +
    ROI_WEIGHTS.neoplasticFraction * parts.neoplasticFraction;
  return { parts, score };
}

/** Intersection over union of two rectangles (same coordinate space). */
export function rectIou(a: Rect, b: Rect): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (width <= 0 || height <= 0) return 0;
  const overlap = width * height;
  return overlap / (a.width * a.height + b.width * b.height - overlap);
}

/** Ranks ROIs over the grid; at most `limit` survive suppression, best first. */
export function rankRois(
  cells: ReadonlyMap<string, GridCell>,
  context: TriageContext,
  limit = 20,
): RankedRoi[] {
  const candidates = buildCandidates(cells);
  const densityScale = percentile95(candidates.map((c) => c.measures.nucleusCount));
  const scored = candidates
    .map((candidate) => {
      const { verdict } = regionVerdict(candidate.measures, context);
      const ratio = uncertaintyRatio(candidate.measures, context);
      const scoring = { densityScale, verdict, uncertaintyRatio: ratio };
      const scored = scoreParts(candidate.measures, context, scoring);
      return { candidate, verdict, ratio, ...scored };
    })
    // Equal scores (every window of an Out-of-domain slide far past its threshold,
    // say) are ordered by how far past its thresholds each window is.
    .sort((a, b) => b.score - a.score || b.ratio - a.ratio);

  const kept: typeof scored = [];
  for (const item of scored) {
    if (kept.length >= limit) break;
    const rect = item.candidate.roiBaseRect;
    if (kept.some((k) => rectIou(k.candidate.roiBaseRect, rect) > 0)) continue;
    kept.push(item);
  }

  return kept.map((item, index) => ({
    rank: index + 1,
    roiBaseRect: item.candidate.roiBaseRect,
    score: item.score,
    parts: item.parts,
    priority: priorityFor(item.score),
    verdict: item.verdict,
    nucleusCount: item.candidate.measures.nucleusCount,
  }));
}
