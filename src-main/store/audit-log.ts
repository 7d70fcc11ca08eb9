/**
 * The append-only audit trail: who did what, when, on which slide and analysis,
 * with which model bundle and site profile. Rows are hash-chained, and SQLite
 * triggers abort any UPDATE or DELETE.
 */
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { canonicalJson } from './canonical-json';

/** What the caller says happened. */
export interface AuditEventInput {
  /** The signed-in user, or `system` for automatic actions. */
  actor: string;
  /** Stable dotted name, e.g. `analysis.started`, `review.recorded`, `export.written`. */
  action: string;
  slideId?: number | null;
  analysisId?: number | null;
  /** No patient identifiers and no file paths. */
  details?: Record<string, unknown>;
}

/** A stored audit row; bundle and profile come from the analysis when there is one. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  slideId: number | null;
  analysisId: number | null;
  bundleId: string | null;
  bundleVersion: string | null;
  siteProfileVersion: string | null;
  details: Record<string, unknown>;
  previousHash: string;
  rowHash: string;
}

const GENESIS_HASH = '0'.repeat(64);

// TODO: the hash chain has no anchor outside the database file - someone with
// write access to the file can rebuild the whole chain after editing it;
// periodic export of the latest row hash to a second location would close this.

type HashedFields = Omit<AuditEntry, 'id' | 'rowHash'>;

function hashRow(fields: HashedFields): string {
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}

function analysisContext(db: Database, analysisId: number | null) {
  if (analysisId === null) return null;
  return db
    .prepare(
      `SELECT slide_id AS slideId, bundle_id AS bundleId, bundle_version AS bundleVersion,
         site_profile_version AS siteProfileVersion FROM analyses WHERE id = ?`,
    )
    .get(analysisId) as
    | {
        slideId: number;
        bundleId: string;
        bundleVersion: string;
        siteProfileVersion: string | null;
      }
    | undefined;
}

/** Appends one event; call inside a transaction when it records another write. */
export function appendAudit(
  db: Database,
  event: AuditEventInput,
  nowIso: string,
): AuditEntry {
  const analysisId = event.analysisId ?? null;
  const context = analysisContext(db, analysisId);
  const last = db
    .prepare('SELECT row_hash FROM audit_log ORDER BY id DESC LIMIT 1')
    .pluck()
    .get();

  const fields: HashedFields = {
    at: nowIso,
    actor: event.actor,
    action: event.action,
    slideId: event.slideId ?? context?.slideId ?? null,
    analysisId,
    bundleId: context?.bundleId ?? null,
    bundleVersion: context?.bundleVersion ?? null,
    siteProfileVersion: context?.siteProfileVersion ?? null,
    details: event.details ?? {},
    previousHash: (last as string | undefined) ?? GENESIS_HASH,
  };
  const rowHash = hashRow(fields);
  const inserted = db
    .prepare(
      `INSERT INTO audit_log (at, actor, action, slide_id, analysis_id, bundle_id,
         bundle_version, site_profile_version, details_json, previous_hash, row_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      fields.at,
      fields.actor,
      fields.action,
      fields.slideId,
      fields.analysisId,
      fields.bundleId,
      fields.bundleVersion,
      fields.siteProfileVersion,
      JSON.stringify(fields.details),
      fields.previousHash,
      rowHash,
    );
  return { id: Number(inserted.lastInsertRowid), ...fields, rowHash };
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  slide_id: number | null;
  analysis_id: number | null;
  bundle_id: string | null;
  bundle_version: string | null;
  site_profile_version: string | null;
  details_json: string;
  previous_hash: string;
  row_hash: string;
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    slideId: row.slide_id,
    analysisId: row.analysis_id,
    bundleId: row.bundle_id,
    bundleVersion: row.bundle_version,
    siteProfileVersion: row.site_profile_version,
    details: JSON.parse(row.details_json) as Record<string, unknown>,
    previousHash: row.previous_hash,
    rowHash: row.row_hash,
  };
}

/** Audit entries, oldest first, optionally only those of one slide. */
export function listAudit(db: Database, filter: { slideId?: number } = {}): AuditEntry[] {
  const rows = (
    filter.slideId === undefined
      ? db.prepare('SELECT * FROM audit_log ORDER BY id').all()
      : db
          .prepare('SELECT * FROM audit_log WHERE slide_id = ? ORDER BY id')
          .all(filter.slideId)
  ) as AuditRow[];
  return rows.map(toEntry);
}

/**
 * Recomputes the hash chain; returns the id of the first row that does not
 * match (edited, inserted or removed behind the app's back), or `null` when intact.
 */
export function verifyAuditChain(db: Database): number | null {
  let previousHash = GENESIS_HASH;
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY id').iterate()) {
    const { id, rowHash, ...fields } = toEntry(row as AuditRow);
    if (fields.previousHash !== previousHash || hashRow(fields) !== rowHash) return id;
    previousHash = rowHash;
  }
  return null;
}
