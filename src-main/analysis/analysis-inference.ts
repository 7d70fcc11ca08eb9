/**
 * Opens inference for one analysis: probes the execution providers asked for, creates
 * the engine's sessions with a counter of the tiles each graph runs on, and puts the
 * embedding cache in front of the backbone where the bundle allows it.
 */
import { AppError } from '../../src-shared/errors';
import { NucleiEngine, type GraphRunListener } from '../inference/engine';
import { resolveExecutionProviders } from '../inference/execution-providers';
import { createLogger } from '../logging/logger';
import type { Execution } from './analysis-execution';
import type { InferenceReport } from './analysis-types';
import { planThreads } from './thread-plan';
import {
  embeddingCacheKeyFor,
  TileInference,
  type EmbeddingReuse,
} from './tile-inference';

const log = createLogger('analysis');

/** Inference held open for one analysis; call `release()` when done. */
export interface OpenInference {
  inference: TileInference;
  /** How inference has run so far. */
  report(): InferenceReport;
  release(): Promise<void>;
}

/** Opens inference for the pending tiles of `execution`; see the module comment. */
export async function openInference(execution: Execution): Promise<OpenInference> {
  const { prepared, options } = execution;
  const graphTilesRun: InferenceReport['graphTilesRun'] = {};
  const { engine, executionProviders } = await createEngine(execution, {
    executionProviders: await resolveExecutionProviders(prepared.executionProviders),
    onGraphRun: (role, batchSize) => {
      graphTilesRun[role] = (graphTilesRun[role] ?? 0) + batchSize;
    },
  });
  const inference = new TileInference(engine, openCache(execution));
  log.info('analysis.inference.ready', {
    analysisId: prepared.analysis.id,
    providers: executionProviders,
    threads: planThreads(options).intraOpThreads,
  });

  return {
    inference,
    report: () => ({
      executionProviders,
      graphTilesRun: { ...graphTilesRun },
      cachedTileCount: inference.cachedTileCount,
    }),
    release: () => engine.release(),
  };
}

/**
 * Creates the engine on the probed providers. A provider can pass the probe and still
 * fail on the bundle's graphs (an operator it lacks); the engine is then created on
 * CPU alone, slower but with the same results.
 */
async function createEngine(
  execution: Execution,
  settings: { executionProviders: string[]; onGraphRun: GraphRunListener },
): Promise<{ engine: NucleiEngine; executionProviders: string[] }> {
  const { bundle } = execution.resources;
  const plan = planThreads(execution.options);
  const threads = {
    intraOpNumThreads: plan.intraOpThreads,
    canThreadsSpin: plan.finishingThreads === 0,
  };
  try {
    const engine = await NucleiEngine.create(bundle, { ...threads, ...settings });
    return { engine, executionProviders: settings.executionProviders };
  } catch (error) {
    if (settings.executionProviders.every((provider) => provider === 'cpu')) throw error;
    log.warn('analysis.provider.session-failed', {
      providers: settings.executionProviders,
      code: error instanceof AppError ? error.code : 'INTERNAL',
      fallback: 'cpu',
    });
    const executionProviders = ['cpu'];
    const engine = await NucleiEngine.create(bundle, {
      ...threads,
      onGraphRun: settings.onGraphRun,
      executionProviders,
    });
    return { engine, executionProviders };
  }
}

/** The cache of this slide and key, after dropping the slide's entries under other keys. */
function openCache(execution: Execution): EmbeddingReuse | null {
  const { resources, prepared } = execution;
  const cacheKey = embeddingCacheKeyFor({
    manifest: resources.bundle.manifest,
    mpp: resources.mpp,
    regionBase: resources.regionBase,
    level: prepared.level,
    tilingVersion: prepared.analysis.parameters['pipelineVersion'],
  });
  if (!cacheKey) return null;

  const { store } = resources;
  const slideId = prepared.slideId;
  try {
    // One key per slide is kept: tokens run to megabytes a tile, and entries under
    // another backbone, calibration or geometry would never be read again.
    const prunedCount = store.embeddings.prune(slideId, cacheKey);
    if (prunedCount > 0) log.info('analysis.embedding-cache.pruned', { prunedCount });
  } catch (error) {
    // Stale entries only take space; the analysis goes on and a later run prunes them.
    log.warn('analysis.embedding-cache.prune-failed', {
      code: error instanceof AppError ? error.code : 'INTERNAL',
    });
  }
  return { store, slideId, cacheKey };
}
