/**
 * Starting and ending one process's run of an analysis. A run starts a new analysis
 * or continues an unfinished identical one, and claims it for its process; it ends
 * by recording the analysis's status and dropping the claim. Each step is one
 * IMMEDIATE transaction, so two processes starting at once cannot both take the
 * same analysis, and no analysis is left reopened without a claim.
 */
import type { Database } from 'better-sqlite3';
import type { ErrorCode } from '../../src-shared/errors';
import * as analyses from './analyses-repo';
import {
  claimHolder,
  isClaimLive,
  isHeldBy,
  readClaim,
  releaseClaim,
  takeClaim,
  type Claimant,
} from './analysis-claims';
import { AnalysisInProgressError, AnalysisTakenOverError } from './store-errors';
import type { AnalysisInput, AnalysisRecord, AnalysisStatus } from './store-types';

/** Options of {@link startAnalysisRun}. */
export interface StartRunOptions {
  input: AnalysisInput;
  /** Whether an unfinished analysis of the same slide, bundle and parameters goes on. */
  canResume: boolean;
  claimant: Claimant;
  now: Date;
}

/** The analysis a run works on. */
export interface StartedRun {
  analysis: AnalysisRecord;
  /** Whether it is an unfinished analysis reopened, rather than a new one. */
  isResumed: boolean;
}

/**
 * Reopens the newest unfinished identical analysis (when `canResume`) or creates
 * one, and claims it for `claimant`. Throws {@link AnalysisInProgressError} when a
 * live claim of another run holds the analysis to continue.
 */
export function startAnalysisRun(db: Database, options: StartRunOptions): StartedRun {
  const { input, claimant, now } = options;
  const nowIso = now.toISOString();
  const start = db.transaction((): StartedRun => {
    const unfinished = options.canResume
      ? analyses.findResumableAnalysis(db, input)
      : null;
    if (unfinished) assertNotHeld(db, unfinished.id, { claimant, now });
    const analysis = unfinished
      ? analyses.reopenAnalysis(db, unfinished.id)
      : analyses.createAnalysis(db, input, nowIso);
    takeClaim(db, { analysisId: analysis.id, claimant, nowIso });
    return { analysis, isResumed: unfinished !== null };
  });
  return start.immediate();
}

function assertNotHeld(
  db: Database,
  analysisId: number,
  context: { claimant: Claimant; now: Date },
): void {
  const claim = readClaim(db, analysisId);
  const ownHost = context.claimant.host;
  if (claim && isClaimLive(claim, { ownHost, now: context.now })) {
    throw new AnalysisInProgressError(claimHolder(claim, ownHost));
  }
}

/** How a run ended, as {@link endAnalysisRun} records it. */
export interface RunEnding {
  status: Exclude<AnalysisStatus, 'running'>;
  errorCode: ErrorCode | null;
  claimant: Claimant;
  nowIso: string;
}

/**
 * Records the final status of the run's analysis and drops `claimant`'s claim.
 * Throws {@link AnalysisTakenOverError}, changing nothing, when another process
 * holds the analysis now: its status is that process's to record.
 */
export function endAnalysisRun(
  db: Database,
  analysisId: number,
  ending: RunEnding,
): AnalysisRecord {
  const { claimant } = ending;
  const end = db.transaction(() => {
    const claim = readClaim(db, analysisId);
    if (claim && !isHeldBy(claim, claimant)) {
      throw new AnalysisTakenOverError(claimHolder(claim, claimant.host));
    }
    const closed = analyses.closeAnalysis(db, analysisId, ending);
    releaseClaim(db, analysisId, claimant);
    return closed;
  });
  return end.immediate();
}
