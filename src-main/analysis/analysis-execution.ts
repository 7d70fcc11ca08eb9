/**
 * Runs a prepared analysis: sessions and post-processor, the pipeline over the
 * pending tiles, then the ending that fits what happened (done and triaged,
 * cancelled, left resumable, or failed).
 */
import type { AppError } from '../../src-shared/errors';
import { COLD_START_PROFILE } from '../../src-shared/site-profile';
import { NucleiEngine } from '../inference/engine';
import { createLogger } from '../logging/logger';
import { finaliseAnalysis } from '../uncertainty/finalise';
import { createTriageContext, type TriageContext } from '../uncertainty/triage-context';
import type { SlideSummary } from '../uncertainty/types';
import { runPipeline } from './analysis-pipeline';
import type { PreparedAnalysis } from './analysis-preparation';
import { ProgressTracker } from './analysis-progress';
import type { AnalysisHooks, AnalysisOptions, AnalysisOutcome } from './analysis-types';
import { summariseOutcome } from './analysis-summary';
import { createPostprocessor } from './postprocessor';
import type { OpenResources } from './run-analysis';
import { StageClock } from './stage-clock';

const log = createLogger('analysis');

/** Default tiles per inference batch; measured best on 2 cores (see bench/analysis-bench.ts). */
export const DEFAULT_BATCH_SIZE = 4;

/** Errors after which the analysis stays `running`, so a later run resumes it. */
const RESUMABLE_CODES = new Set(['STORE_DISK_FULL', 'STORE_LOCKED']);

/** Everything {@link executeAnalysis} needs. */
export interface Execution {
  resources: OpenResources;
  prepared: PreparedAnalysis;
  options: AnalysisOptions;
  hooks: AnalysisHooks & { signal: AbortSignal };
  startedMs: number;
}

/** Runs the pending tiles and ends the analysis; see the module comment. */
export async function executeAnalysis(execution: Execution): Promise<AnalysisOutcome> {
  const { prepared, resources } = execution;
  const clock = new StageClock();
  if (prepared.isAlreadyDone) {
    return summariseOutcome({ execution, end: 'already-done', clock, summary: null });
  }

  const triage = buildTriageContext(resources);
  try {
    await runPending(execution, { clock, triage });
  } catch (error) {
    return endAfterError(execution, { error, clock });
  }

  resources.store.finishAnalysis(prepared.analysis.id);
  const summary = triage ? finaliseTriage(execution, triage) : null;
  return summariseOutcome({ execution, end: 'done', clock, summary });
}

async function runPending(
  execution: Execution,
  state: { clock: StageClock; triage: TriageContext | null },
): Promise<void> {
  const { resources, prepared, options, hooks } = execution;
  const { manifest, calibration } = resources.bundle;
  const engine = await NucleiEngine.create(resources.bundle, {
    intraOpNumThreads: options.intraOpThreads,
  });
  const postprocess = await createPostprocessor({
    params: manifest.postprocessing,
    temperatures: state.triage?.settings.temperatures ?? calibration.temperature,
  });

  const progress = new ProgressTracker({
    tilesTotal: prepared.tiles.length,
    tilesAlreadyDone: prepared.tiles.length - prepared.pendingTiles.length,
  });
  hooks.onProgress?.(progress.snapshot());
  try {
    await runPipeline({
      reader: resources.reader,
      engine,
      store: resources.store,
      analysisId: prepared.analysis.id,
      tiles: prepared.pendingTiles,
      level: prepared.level,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      finishing: {
        postprocess: postprocess.run,
        triage: state.triage,
        clock: state.clock,
      },
      clock: state.clock,
      progress,
      onProgress: hooks.onProgress,
      signal: hooks.signal,
    });
  } finally {
    await Promise.all([engine.release(), postprocess.close()]);
  }
}

function endAfterError(
  execution: Execution,
  failure: { error: unknown; clock: StageClock },
): AnalysisOutcome {
  const { resources, prepared, hooks } = execution;
  const analysisId = prepared.analysis.id;
  if (hooks.signal.aborted) {
    resources.store.cancelAnalysis(analysisId);
    log.info('analysis.cancelled', { analysisId });
    return summariseOutcome({
      execution,
      end: 'cancelled',
      clock: failure.clock,
      summary: null,
    });
  }

  const code = (failure.error as Partial<AppError>).code ?? 'INTERNAL';
  if (!RESUMABLE_CODES.has(code)) resources.store.failAnalysis(analysisId, code);
  log.error('analysis.failed', {
    analysisId,
    code,
    isResumable: RESUMABLE_CODES.has(code),
  });
  throw failure.error;
}

function buildTriageContext(resources: OpenResources): TriageContext | null {
  const { manifest, calibration } = resources.bundle;
  try {
    // TODO: every analysis is triaged with the cold-start site profile - a site's fitted temperature and thresholds are not applied until profiles are loaded here.
    return createTriageContext({
      calibration,
      profile: COLD_START_PROFILE,
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
