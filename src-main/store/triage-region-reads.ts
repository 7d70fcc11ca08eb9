/**
 * Read-only queries over the triage tables for exports: the region grid of the
 * latest triage run with the reasons behind each cell's verdict. Coordinates are
 * level-0 pixels.
 */
import type { Database } from 'better-sqlite3';
import type { Rect } from '../../src-shared/geometry';
import type { Verdict, VerdictReason } from '../../src-shared/verdict';

/** One region cell of the latest triage run, with its recorded reasons. */
export interface RegionVerdictRecord {
  col: number;
  row: number;
  cellBaseRect: Rect;
  verdict: Verdict;
  /** Empty for a Reliable cell. */
  reasons: VerdictReason[];
  /** The aggregated measures of the cell, by name; `null` where nothing was measured. */
  measures: Record<string, number | null>;
}

/** When and how the latest triage run of an analysis was made. */
export interface TriageRunRecord {
  triageVersion: number;
  createdAt: string;
}

interface RegionRow {
  col: number;
  row: number;
  base_x: number;
  base_y: number;
  base_width: number;
  base_height: number;
  verdict: Verdict;
  reasons_json: string;
  measures_json: string;
}

const LATEST_RUN = `SELECT id, triage_version, created_at FROM triage_runs
  WHERE analysis_id = ? ORDER BY triage_version DESC LIMIT 1`;

interface RunRow {
  id: number;
  triage_version: number;
  created_at: string;
}

/** The latest triage run of the analysis, or `null` before it was triaged. */
export function readLatestTriageRun(
  db: Database,
  analysisId: number,
): TriageRunRecord | null {
  const run = db.prepare(LATEST_RUN).get(analysisId) as RunRow | undefined;
  return run ? { triageVersion: run.triage_version, createdAt: run.created_at } : null;
}

/** Region cells of the latest triage run in row-major order; empty before triage. */
export function readRegionVerdicts(
  db: Database,
  analysisId: number,
): RegionVerdictRecord[] {
  const run = db.prepare(LATEST_RUN).get(analysisId) as RunRow | undefined;
  if (!run) return [];
  const rows = db
    .prepare('SELECT * FROM triage_regions WHERE triage_id = ? ORDER BY row, col')
    .all(run.id) as RegionRow[];
  return rows.map((row) => ({
    col: row.col,
    row: row.row,
    cellBaseRect: {
      x: row.base_x,
      y: row.base_y,
      width: row.base_width,
      height: row.base_height,
    },
    verdict: row.verdict,
    reasons: JSON.parse(row.reasons_json) as VerdictReason[],
    measures: JSON.parse(row.measures_json) as Record<string, number | null>,
  }));
}
