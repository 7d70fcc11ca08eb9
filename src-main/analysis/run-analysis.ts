/**
 * The analysis job for one slide: open it (failing early), plan the tiles, find or
 * create the analysis in the store and claim it for this process, run the
 * overlapping stages on the tiles not yet committed, then finalise the triage. Free
 * of Electron: the CLI, a forked Node process and an Electron utility process all
 * call {@link runAnalysis}.
 */
import { AppError } from '../../src-shared/errors';
import type { Rect } from '../../src-shared/geometry';
import type { Mpp } from '../../src-shared/slide-types';
import { loadBundle, type LoadedBundle } from '../inference/bundle-loader';
import { createLogger } from '../logging/logger';
import { slideRef } from '../logging/slide-ref';
import { openSlide } from '../slides/open-slide';
import type { SlideReader } from '../slides/slide-reader';
import { CLAIM_HEARTBEAT_MS } from '../store/analysis-claims';
import { openStore, type ResultStore } from '../store/store';
import { chooseMpp, chooseRegion } from './analysis-plan';
import type { AnalysisHooks, AnalysisOptions, AnalysisOutcome } from './analysis-types';
import { defaultBundlePath } from './default-bundle';
import { executeAnalysis, type Execution } from './analysis-execution';
import { prepareAnalysis } from './analysis-preparation';

const log = createLogger('analysis');

/** What the job holds open while it runs. */
export interface OpenResources {
  reader: SlideReader;
  bundle: LoadedBundle;
  store: ResultStore;
  mpp: Mpp;
  regionBase: Rect;
}

/**
 * Runs (or resumes) the analysis of one slide. Resolves with the outcome when it is
 * done, cancelled through `hooks.signal`, or already done; rejects with a typed
 * error (`SLIDE_MISSING_MPP`, `BUNDLE_TAMPERED`, `STORE_DISK_FULL`, ...) otherwise.
 */
export async function runAnalysis(
  options: AnalysisOptions,
  hooks: AnalysisHooks = {},
): Promise<AnalysisOutcome> {
  const startedMs = performance.now();
  const signal = hooks.signal ?? new AbortController().signal;
  const resources = await openResources(options);

  try {
    const prepared = await prepareAnalysis(resources, options);
    log.info('analysis.start', {
      slideRef: slideRef(prepared.slideId),
      analysisId: prepared.analysis.id,
      tilesTotal: prepared.tiles.length,
      tilesPending: prepared.pendingTiles.length,
      level: prepared.level,
      mppSource: resources.mpp.source,
    });
    return await executeHoldingClaim({
      resources,
      prepared,
      options,
      hooks: { ...hooks, signal },
      startedMs,
    });
  } finally {
    resources.store.close();
    await resources.reader.close();
  }
}

/**
 * Runs the prepared analysis with this process's claim on it refreshed between
 * batches too (loading the model or a slow batch can outlast a heartbeat), and
 * drops the claim however the run ends. Recording the ending drops it already;
 * this covers an ending that could not be recorded.
 */
async function executeHoldingClaim(execution: Execution): Promise<AnalysisOutcome> {
  const { store } = execution.resources;
  const analysisId = execution.prepared.analysis.id;
  const heartbeat = setInterval(
    () => refreshClaim(store, analysisId),
    CLAIM_HEARTBEAT_MS,
  );
  heartbeat.unref();
  try {
    return await executeAnalysis(execution);
  } finally {
    clearInterval(heartbeat);
    releaseClaim(store, analysisId);
  }
}

function refreshClaim(store: ResultStore, analysisId: number): void {
  try {
    if (!store.refreshAnalysisClaim(analysisId))
      log.warn('analysis.claim.lost', { analysisId });
  } catch (error) {
    // A missed heartbeat only narrows the claim's margin: the next commit refreshes
    // it, or stops the run with the store's error.
    log.warn('analysis.claim.refresh.failed', { analysisId, code: errorCodeOf(error) });
  }
}

function releaseClaim(store: ResultStore, analysisId: number): void {
  try {
    store.releaseAnalysisClaim(analysisId);
  } catch (error) {
    // How the run ended matters more than the claim, which goes stale once this
    // process exits (or its heartbeat ages) and so blocks no later run for long.
    log.warn('analysis.claim.release.failed', { analysisId, code: errorCodeOf(error) });
  }
}

function errorCodeOf(error: unknown): string {
  return error instanceof AppError ? error.code : 'INTERNAL';
}

async function openResources(options: AnalysisOptions): Promise<OpenResources> {
  const reader = await openSlide(options.slidePath, { useCache: false });
  try {
    const mpp = chooseMpp(reader.info, options.userMppX, options.isMppOverrideAllowed);
    const regionBase = chooseRegion(reader.info, options.regionBase);
    const bundle = await loadBundle(options.bundlePath ?? defaultBundlePath());
    const store = openStore(options.dbPath);
    if (options.maxDatabaseBytes !== undefined)
      limitDatabaseSize(store, options.maxDatabaseBytes);
    return { reader, bundle, store, mpp, regionBase };
  } catch (error) {
    // Nothing else holds the reader yet: release it before reporting why.
    await reader.close();
    throw error;
  }
}

/** Caps the database file at `maxBytes` for this connection (SQLite `max_page_count`). */
function limitDatabaseSize(store: ResultStore, maxBytes: number): void {
  const pageSize = store.db.pragma('page_size', { simple: true }) as number;
  store.db.pragma(`max_page_count = ${Math.max(1, Math.floor(maxBytes / pageSize))}`);
}
