/**
 * Runs a prepared analysis: inference and post-processor, the pipeline over the
 * pending tiles, then the ending that fits what happened (done and triaged,
 * cancelled, or failed; a later identical run continues the last two from their
 * committed tiles). Triage and post-processing apply the
 * prepared site profile: its non-null temperatures override the bundle's.
 */
import type { BundleCalibration } from '../../src-shared/bundle-manifest';
import type { AppError, ErrorCode } from '../../src-shared/errors';
import type { SiteProfile } from '../../src-shared/site-profile';
import { createLogger } from '../logging/logger';
import type { ResultStore } from '../store/store';
import { finaliseAnalysis } from '../uncertainty/finalise';
import { createTriageContext, type TriageContext } from '../uncertainty/triage-context';
import type { SlideSummary } from '../uncertainty/types';
import { openInference, type OpenInference } from './analysis-inference';
import { runPipeline } from './analysis-pipeline';
import type { PreparedAnalysis } from './analysis-preparation';
import { ProgressTracker } from './analysis-progress';
import type {
  AnalysisHooks,
  AnalysisOptions,
  AnalysisOutcome,
  InferenceReport,
} from './analysis-types';
import { summariseOutcome } from './analysis-summary';
import type { OpenResources } from './run-analysis';
import { StageClock } from './stage-clock';
import { planThreads } from './thread-plan';
import { createTileFinisher, type TileFinisher } from './tile-finishing';

const log = createLogger('analysis');

/** Default tiles per inference batch, which is also the finishing and commit unit. */
export const DEFAULT_BATCH_SIZE = 4;

/** Everything {@link executeAnalysis} needs. */
export interface Execution {
  resources: OpenResources;
  prepared: PreparedAnalysis;
  options: AnalysisOptions;
  hooks: AnalysisHooks & { signal: AbortSignal };
  startedMs: number;
}

/** What a run accumulates on its way; read by whichever ending it reaches. */
interface RunState {
  clock: StageClock;
  triage: TriageContext | null;
  /** Set once inference is open. */
  report: (() => InferenceReport) | null;
}

/** Runs the pending tiles and ends the analysis; see the module comment. */
export async function executeAnalysis(execution: Execution): Promise<AnalysisOutcome> {
  const { prepared, resources } = execution;
  const state: RunState = { clock: new StageClock(), triage: null, report: null };
  if (prepared.isAlreadyDone) return endAs(execution, { end: 'already-done', state });

  state.triage = buildTriageContext(resources, prepared.siteProfile);
  try {
    await runPending(execution, state);
  } catch (error) {
    return endAfterError(execution, { error, state });
  }

  resources.store.finishAnalysis(prepared.analysis.id);
  const summary = state.triage ? finaliseTriage(execution, state.triage) : null;
  return endAs(execution, { end: 'done', state }, summary);
}

function endAs(
  execution: Execution,
  ending: { end: AnalysisOutcome['end']; state: RunState },
  summary: SlideSummary | null = null,
): AnalysisOutcome {
  const { end, state } = ending;
  const inference = state.report?.() ?? null;
  if (inference) {
    log.info('analysis.inference.done', {
      analysisId: execution.prepared.analysis.id,
      ...inference,
    });
  }
  return summariseOutcome({ execution, end, clock: state.clock, summary, inference });
}

async function runPending(execution: Execution, state: RunState): Promise<void> {
  const { resources, prepared, options, hooks } = execution;
  // Finishing threads load OpenCV.js while the ONNX Runtime sessions are created.
  const finisher = await openFinisher(execution, state);
  let opened: OpenInference | null = null;
  try {
    opened = await openInference(execution);
    state.report = opened.report;
    const progress = startProgress(execution);
    await runPipeline({
      reader: resources.reader,
      inference: opened.inference,
      store: resources.store,
      analysisId: prepared.analysis.id,
      tiles: prepared.pendingTiles,
      level: prepared.level,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      finisher,
      clock: state.clock,
      progress,
      onProgress: hooks.onProgress,
      signal: hooks.signal,
    });
  } finally {
    await Promise.all([opened?.release(), finisher.close()]);
  }
}

/** The tile finisher of the run, with the temperatures and triage in force. */
function openFinisher(execution: Execution, state: RunState): Promise<TileFinisher> {
  const { resources, prepared, options, hooks } = execution;
  return createTileFinisher({
    postprocessor: {
      params: resources.bundle.manifest.postprocessing,
      temperatures: temperaturesInForce(resources.bundle.calibration, {
        profile: prepared.siteProfile,
        triage: state.triage,
      }),
    },
    triage: state.triage,
    clock: state.clock,
    workerCount: planThreads(options).finishingThreads,
    signal: hooks.signal,
  });
}

/** A progress tracker for the plan, with its first report sent. */
function startProgress(execution: Execution): ProgressTracker {
  const { prepared, hooks, resources } = execution;
  const progress = new ProgressTracker({
    tilesTotal: prepared.tiles.length,
    tilesAlreadyDone: prepared.tiles.length - prepared.pendingTiles.length,
    nucleiAlreadyStored: resources.store.getAnalysis(prepared.analysis.id).nucleusCount,
  });
  hooks.onProgress?.(progress.snapshot());
  return progress;
}

/**
 * Temperatures for post-processing: those triage resolved, or, when triage is
 * unavailable, the profile's non-null ones over the bundle's.
 */
function temperaturesInForce(
  calibration: BundleCalibration,
  applied: { profile: SiteProfile; triage: TriageContext | null },
): { np: number; nt: number | null } {
  if (applied.triage) return applied.triage.settings.temperatures;
  const site = applied.profile.temperatures;
  return {
    np: site.np ?? calibration.temperature.np,
    nt: site.nt ?? calibration.temperature.nt,
  };
}

function endAfterError(
  execution: Execution,
  failure: { error: unknown; state: RunState },
): AnalysisOutcome {
  const { resources, prepared, hooks } = execution;
  const analysisId = prepared.analysis.id;
  if (hooks.signal.aborted) {
    resources.store.cancelAnalysis(analysisId);
    log.info('analysis.cancelled', { analysisId });
    return endAs(execution, { end: 'cancelled', state: failure.state });
  }

  const code = (failure.error as Partial<AppError>).code ?? 'INTERNAL';
  log.error('analysis.failed', { analysisId, code });
  recordFailure(resources.store, analysisId, code);
  throw failure.error;
}

/**
 * Marks the analysis `failed` with the code the user is shown, unless another
 * process took it over (its status is then that process's to record). Recording
 * can fail too, on a database still full or locked: the analysis then stays
 * `running`, its claim goes stale once this process ends, and an identical run
 * continues it all the same.
 */
function recordFailure(store: ResultStore, analysisId: number, code: ErrorCode): void {
  if (code === 'ANALYSIS_IN_PROGRESS') return;
  try {
    store.failAnalysis(analysisId, code);
  } catch (error) {
    log.warn('analysis.failure.unrecorded', {
      analysisId,
      code,
      recordingCode: (error as Partial<AppError>).code ?? 'INTERNAL',
    });
  }
}

function buildTriageContext(
  resources: OpenResources,
  profile: SiteProfile,
): TriageContext | null {
  const { manifest, calibration } = resources.bundle;
  try {
    return createTriageContext({
      calibration,
      profile,
      nucleusClasses: manifest.nucleusClasses,
      organs: manifest.organs,
      targetMpp: manifest.input.targetMpp,
      slideMppX: resources.mpp.x,
    });
  } catch (error) {
    // Triage is an addition to the nuclei, not a precondition: without a usable
    // calibration the nuclei are still stored, and the summary says triage is missing.
    log.warn('analysis.triage.unavailable', {
      code: (error as Partial<AppError>).code ?? 'INTERNAL',
    });
    return null;
  }
}

function finaliseTriage(execution: Execution, context: TriageContext): SlideSummary {
  const { resources, prepared } = execution;
  // TODO: organ probabilities are not averaged over tissue tiles - bundles with an organ head get no organ call in the summary.
  return finaliseAnalysis(resources.store.db, prepared.analysis.id, {
    context,
    slideWidthPx: resources.reader.info.widthPx,
    slideHeightPx: resources.reader.info.heightPx,
    organProbabilities: null,
    organQuantile: null,
  });
}
