/**
 * Reads the latest triage run's region grid and ROIs for the viewer. Read-only
 * queries over the uncertainty module's tables.
 */
import type { Rect } from '../../src-shared/geometry';
import type { RoiPriority, Verdict } from '../../src-shared/verdict';
import type { ResultStore } from '../store/store';
import { readRegionVerdicts } from '../store/triage-region-reads';
import type { RegionMeasures, RoiScoreParts } from '../uncertainty/index';

// TODO: these queries read the triage tables directly because the uncertainty module
// exposes no reader for regions and ROIs yet - a change to those tables must update them.
const LATEST_RUN = `SELECT id FROM triage_runs WHERE analysis_id = ?
  ORDER BY triage_version DESC LIMIT 1`;

/** One region cell of the latest triage. */
export interface StoredRegion {
  col: number;
  row: number;
  cellBaseRect: Rect;
  verdict: Verdict;
  measures: RegionMeasures;
}

/** One ROI of the latest triage. */
export interface StoredRoi {
  roiId: number;
  rank: number;
  roiBaseRect: Rect;
  score: number;
  priority: RoiPriority;
  verdict: Verdict;
  parts: RoiScoreParts;
  nucleusCount: number;
}

function latestRunId(store: ResultStore, analysisId: number): number | null {
  const row = store.db.prepare(LATEST_RUN).get(analysisId) as { id: number } | undefined;
  return row?.id ?? null;
}

/** Region cells of the latest triage run; empty before the analysis was triaged. */
export function readRegions(store: ResultStore, analysisId: number): StoredRegion[] {
  return readRegionVerdicts(store.db, analysisId).map((cell) => ({
    col: cell.col,
    row: cell.row,
    cellBaseRect: cell.cellBaseRect,
    verdict: cell.verdict,
    measures: cell.measures as unknown as RegionMeasures,
  }));
}

interface RoiRow {
  id: number;
  rank: number;
  base_x: number;
  base_y: number;
  base_width: number;
  base_height: number;
  score: number;
  priority: RoiPriority;
  verdict: Verdict;
  parts_json: string;
  nucleus_count: number;
}

function toRoi(row: RoiRow): StoredRoi {
  return {
    roiId: row.id,
    rank: row.rank,
    roiBaseRect: {
      x: row.base_x,
      y: row.base_y,
      width: row.base_width,
      height: row.base_height,
    },
    score: row.score,
    priority: row.priority,
    verdict: row.verdict,
    parts: JSON.parse(row.parts_json) as RoiScoreParts,
    nucleusCount: row.nucleus_count,
  };
}

/** ROIs of the latest triage run, best first; empty before triage. */
export function readRois(store: ResultStore, analysisId: number): StoredRoi[] {
  const runId = latestRunId(store, analysisId);
  if (runId === null) return [];
  const rows = store.db
    .prepare('SELECT * FROM triage_rois WHERE triage_id = ? ORDER BY rank')
    .all(runId) as RoiRow[];
  return rows.map(toRoi);
}

/** The analysis an ROI belongs to, or `null` when no ROI has that id. */
export function analysisOfRoi(store: ResultStore, roiId: number): number | null {
  const row = store.db
    .prepare(
      `SELECT r.analysis_id AS analysisId FROM triage_rois o
        JOIN triage_runs r ON r.id = o.triage_id WHERE o.id = ?`,
    )
    .get(roiId) as { analysisId: number } | undefined;
  return row?.analysisId ?? null;
}
