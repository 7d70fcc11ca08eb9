/**
 * Rows of `analysis_claims`: which process is running an analysis. A claim is live
 * while its heartbeat is recent and, on this host, its process still exists; a live
 * claim of another process keeps every other run off the analysis, and a stale one
 * (a killed process, or one silent for {@link CLAIM_STALE_MS}) is taken over.
 */
import type { Database } from 'better-sqlite3';
import { cachedStatement } from './statement-cache';
import type { ClaimHolder } from './store-errors';

/** The process that holds, or wants, a claim. */
export interface Claimant {
  /** `os.hostname()` of the process's computer; a database may sit on a shared drive. */
  host: string;
  pid: number;
}

/** A claim as stored. */
export interface AnalysisClaim extends Claimant {
  heartbeatAt: string;
}

/**
 * How long a claim stays live without a heartbeat. A run refreshes it with every
 * committed batch and at least every {@link CLAIM_HEARTBEAT_MS}, so only a process
 * that is gone, suspended (a sleeping laptop) or hung for this long loses it.
 */
export const CLAIM_STALE_MS = 2 * 60_000;

/** How often a running analysis refreshes its claim between batches. */
export const CLAIM_HEARTBEAT_MS = 30_000;

const SELECT_CLAIM = `SELECT host, pid, heartbeat_at AS heartbeatAt
  FROM analysis_claims WHERE analysis_id = ?`;
const UPSERT_CLAIM = `INSERT INTO analysis_claims (analysis_id, host, pid, heartbeat_at)
  VALUES (?, ?, ?, ?) ON CONFLICT (analysis_id) DO UPDATE SET host = excluded.host,
  pid = excluded.pid, heartbeat_at = excluded.heartbeat_at`;
const REFRESH_CLAIM = `UPDATE analysis_claims SET heartbeat_at = ?
  WHERE analysis_id = ? AND host = ? AND pid = ?`;
const DELETE_CLAIM =
  'DELETE FROM analysis_claims WHERE analysis_id = ? AND host = ? AND pid = ?';

/** The claim on the analysis, or `null` when no process holds it. */
export function readClaim(db: Database, analysisId: number): AnalysisClaim | null {
  const row = cachedStatement(db, SELECT_CLAIM).get(analysisId);
  return (row as AnalysisClaim | undefined) ?? null;
}

/** Whether `claim` still keeps other runs off its analysis at `now`. */
export function isClaimLive(
  claim: AnalysisClaim,
  context: { ownHost: string; now: Date },
): boolean {
  // Heartbeats from other hosts are compared with this host's clock; a skew of
  // minutes between workstations would shorten or lengthen the window by as much.
  const silentMs = context.now.getTime() - Date.parse(claim.heartbeatAt);
  if (!(silentMs < CLAIM_STALE_MS)) return false;
  return claim.host !== context.ownHost || isProcessAlive(claim.pid);
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user; ESRCH: there is none.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Records `claimant` as the holder of the analysis, replacing any earlier claim. */
export function takeClaim(
  db: Database,
  claim: { analysisId: number; claimant: Claimant; nowIso: string },
): void {
  const { analysisId, claimant, nowIso } = claim;
  cachedStatement(db, UPSERT_CLAIM).run(analysisId, claimant.host, claimant.pid, nowIso);
}

/**
 * Moves the heartbeat of `claimant`'s claim to `nowIso`. Returns the claim of the
 * process that holds the analysis instead, or `null` while `claimant` holds it. An
 * analysis nobody claims (one written without a run, such as a test's) counts as
 * held.
 */
export function refreshClaim(
  db: Database,
  claim: { analysisId: number; claimant: Claimant; nowIso: string },
): AnalysisClaim | null {
  const { analysisId, claimant, nowIso } = claim;
  const refreshed = cachedStatement(db, REFRESH_CLAIM).run(
    nowIso,
    analysisId,
    claimant.host,
    claimant.pid,
  );
  return refreshed.changes === 1 ? null : readClaim(db, analysisId);
}

/** Removes `claimant`'s claim on the analysis; another process's claim stays. */
export function releaseClaim(db: Database, analysisId: number, claimant: Claimant): void {
  cachedStatement(db, DELETE_CLAIM).run(analysisId, claimant.host, claimant.pid);
}

/** Whether `claim` is `claimant`'s own. */
export function isHeldBy(claim: AnalysisClaim, claimant: Claimant): boolean {
  return claim.host === claimant.host && claim.pid === claimant.pid;
}

/** The holder of `claim` as error messages name it. */
export function claimHolder(claim: AnalysisClaim, ownHost: string): ClaimHolder {
  return { pid: claim.pid, isOnThisHost: claim.host === ownHost };
}
