/** Rows of `analyses`: create, find one to resume, reopen, finish. */
import type { Database } from 'better-sqlite3';
import type { ErrorCode } from '../../src-shared/errors';
import { canonicalSha256 } from './canonical-json';
import { StoreError, StoreNotFoundError } from './store-errors';
import type { AnalysisInput, AnalysisRecord, AnalysisStatus } from './store-types';

interface AnalysisRow {
  id: number;
  slide_id: number;
  bundle_id: string;
  bundle_version: string;
  bundle_sha256: string;
  parameters_json: string;
  parameters_sha256: string;
  nucleus_classes_json: string;
  app_version: string;
  site_profile_version: string | null;
  status: AnalysisStatus;
  error_code: string | null;
  planned_tile_count: number;
  committed_tile_count: number;
  nucleus_count: number;
  started_at: string;
  finished_at: string | null;
}

function toAnalysis(row: AnalysisRow): AnalysisRecord {
  return {
    id: row.id,
    slideId: row.slide_id,
    bundle: { id: row.bundle_id, version: row.bundle_version, sha256: row.bundle_sha256 },
    parameters: JSON.parse(row.parameters_json) as Record<string, unknown>,
    parametersSha256: row.parameters_sha256,
    nucleusClasses: JSON.parse(
      row.nucleus_classes_json,
    ) as AnalysisRecord['nucleusClasses'],
    appVersion: row.app_version,
    siteProfileVersion: row.site_profile_version,
    status: row.status,
    errorCode: row.error_code,
    plannedTileCount: row.planned_tile_count,
    committedTileCount: row.committed_tile_count,
    nucleusCount: row.nucleus_count,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

function toSqliteFlag(value: boolean | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  return value ? 1 : 0;
}

/** Statuses of analyses whose committed tiles a later run continues from. */
const UNFINISHED_STATUSES = "('running', 'cancelled', 'failed')";

/** Starts a new analysis in status `running`. */
export function createAnalysis(
  db: Database,
  input: AnalysisInput,
  nowIso: string,
): AnalysisRecord {
  const row = db
    .prepare(
      `INSERT INTO analyses (slide_id, bundle_id, bundle_version, bundle_sha256,
         parameters_json, parameters_sha256, nucleus_classes_json, app_version,
         site_profile_version, site_profile_is_cold_start, status, planned_tile_count,
         started_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?) RETURNING *`,
    )
    .get(
      input.slideId,
      input.bundle.id,
      input.bundle.version,
      input.bundle.sha256,
      JSON.stringify(input.parameters),
      canonicalSha256(input.parameters),
      JSON.stringify(input.nucleusClasses),
      input.appVersion,
      input.siteProfileVersion,
      toSqliteFlag(input.isSiteProfileColdStart),
      input.plannedTileCount,
      nowIso,
    ) as AnalysisRow;
  return toAnalysis(row);
}

/**
 * The newest unfinished analysis (`running`, `cancelled` or `failed`) of the slide
 * with the same bundle build and the same parameters, or `null`: only such a run
 * can be continued tile by tile. Whether another process is running it is the
 * caller's to check.
 */
export function findResumableAnalysis(
  db: Database,
  input: Pick<AnalysisInput, 'slideId' | 'bundle' | 'parameters'>,
): AnalysisRecord | null {
  const row = db
    .prepare(
      `SELECT * FROM analyses WHERE slide_id = ? AND status IN ${UNFINISHED_STATUSES}
         AND bundle_id = ? AND bundle_version = ? AND bundle_sha256 = ?
         AND parameters_sha256 = ?
       ORDER BY id DESC LIMIT 1`,
    )
    .get(
      input.slideId,
      input.bundle.id,
      input.bundle.version,
      input.bundle.sha256,
      canonicalSha256(input.parameters),
    );
  return row ? toAnalysis(row as AnalysisRow) : null;
}

/** The analysis with this id; throws {@link StoreNotFoundError} when absent. */
export function getAnalysis(db: Database, analysisId: number): AnalysisRecord {
  const row = db.prepare('SELECT * FROM analyses WHERE id = ?').get(analysisId);
  if (!row) throw new StoreNotFoundError(`Analysis ${analysisId}`);
  return toAnalysis(row as AnalysisRow);
}

/** Analyses of one slide, newest first. */
export function listAnalyses(db: Database, slideId: number): AnalysisRecord[] {
  const rows = db
    .prepare('SELECT * FROM analyses WHERE slide_id = ? ORDER BY id DESC')
    .all(slideId) as AnalysisRow[];
  return rows.map(toAnalysis);
}

/** Tile indices already committed for the analysis (the work a resume skips). */
export function committedTileIndices(db: Database, analysisId: number): Set<number> {
  const indices = db
    .prepare('SELECT tile_index FROM analysis_tiles WHERE analysis_id = ?')
    .pluck()
    .all(analysisId) as number[];
  return new Set(indices);
}

/**
 * Moves a `running` analysis to a final status. Finishing one that is not
 * running is refused: a finished analysis never changes.
 */
export function closeAnalysis(
  db: Database,
  analysisId: number,
  outcome: {
    status: Exclude<AnalysisStatus, 'running'>;
    errorCode: ErrorCode | null;
    nowIso: string;
  },
): AnalysisRecord {
  const row = db
    .prepare(
      `UPDATE analyses SET status = ?, error_code = ?, finished_at = ?
       WHERE id = ? AND status = 'running' RETURNING *`,
    )
    .get(outcome.status, outcome.errorCode, outcome.nowIso, analysisId);
  if (row) return toAnalysis(row as AnalysisRow);

  const existing = getAnalysis(db, analysisId);
  throw new StoreError(
    `Analysis ${analysisId} is already ${existing.status}; it cannot become ${outcome.status}.`,
  );
}

/**
 * Puts an unfinished analysis back to `running` for a run that continues it,
 * clearing the end time and error of the run that stopped. A `done` analysis is
 * refused: a finished analysis never changes.
 */
export function reopenAnalysis(db: Database, analysisId: number): AnalysisRecord {
  const row = db
    .prepare(
      `UPDATE analyses SET status = 'running', error_code = NULL, finished_at = NULL
       WHERE id = ? AND status IN ${UNFINISHED_STATUSES} RETURNING *`,
    )
    .get(analysisId);
  if (row) return toAnalysis(row as AnalysisRow);

  const existing = getAnalysis(db, analysisId);
  throw new StoreError(
    `Analysis ${analysisId} is already ${existing.status}; it cannot be reopened.`,
  );
}
