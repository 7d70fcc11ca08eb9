/**
 * Finishing of inferred tiles (post-processing and assessment, `tile-processing.ts`),
 * on a pool of worker threads or on the calling thread.
 *
 * ONNX Runtime for Node runs a session synchronously on the thread that calls it, so
 * tiles finished on that thread wait for every inference, and inference waits for
 * them: the stages take turns instead of overlapping. In worker threads, tiles finish
 * while the next batch is inferred. A task is one batch: its maps (about 2.4 MB a
 * 256 px tile) are transferred to the thread, not copied.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { createLogger } from '../logging/logger';
import type { FinishedTile } from './batch-commit';
import { createPostprocessor } from './postprocessor';
import type { StageClock } from './stage-clock';
import type { FinishingReply, FinishingWorkerData } from './tile-finishing-worker';
import { finishTile, inferredTileAt, type InferredBatch } from './tile-processing';

const log = createLogger('analysis');

/** Batches queued on each finishing thread. */
const BATCHES_QUEUED_PER_THREAD = 2;

/** Finishes tiles; `close` stops its threads. */
export interface TileFinisher {
  /** Worker threads in use; 0 when tiles finish on the calling thread. */
  readonly workerCount: number;
  /**
   * Finishes the tiles of one batch, in slot order; busy time is added to the stage
   * clock. The batch's maps may be handed to another thread: do not read them after.
   */
  finishBatch(batch: InferredBatch): Promise<FinishedTile[]>;
  close(): Promise<void>;
}

/** Settings of {@link createTileFinisher}. */
export interface FinisherSettings extends FinishingWorkerData {
  clock: StageClock;
  /** Worker threads; 0 finishes on the calling thread. */
  workerCount: number;
  /** The job's signal: an abort rejects every tile not yet finished. */
  signal: AbortSignal;
}

/**
 * A finisher with `workerCount` threads, or one that finishes on the calling thread
 * when `workerCount` is 0 or the worker entry is missing from the build.
 */
export async function createTileFinisher(
  settings: FinisherSettings,
): Promise<TileFinisher> {
  if (settings.workerCount < 1) return createLocalFinisher(settings);
  const entry = finishingWorkerEntry();
  if (!entry) {
    // Slower, same results: a build without the worker entry still analyses.
    log.warn('analysis.finishing.worker-missing', { fallback: 'calling-thread' });
    return createLocalFinisher(settings);
  }

  const pooled = createPooledFinisher(settings, entry);
  try {
    await pooled.ready();
    return pooled;
  } catch (error) {
    // A thread that cannot start (a packaging fault, say) costs speed, not results;
    // one stopped because the job was cancelled meanwhile is no fault at all.
    await pooled.close();
    settings.signal.throwIfAborted();
    log.warn('analysis.finishing.worker-failed-to-start', {
      message: String(error),
      fallback: 'calling-thread',
    });
    return createLocalFinisher(settings);
  }
}

/**
 * The worker entry next to this module: the built `tile-finishing-worker.js` (beside
 * the bundle, or one folder up for bundles in a subfolder), else the development
 * entry that loads the TypeScript source.
 */
function finishingWorkerEntry(): string | null {
  const folder = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.join(folder, 'tile-finishing-worker.js'),
    path.join(folder, '..', 'tile-finishing-worker.js'),
    path.join(folder, 'tile-finishing-worker.dev.mjs'),
  ];
  return candidates.find((candidate) => existsSync(candidate)) ?? null;
}

async function createLocalFinisher(settings: FinisherSettings): Promise<TileFinisher> {
  const postprocessor = await createPostprocessor(settings.postprocessor);
  const finishing = {
    postprocess: postprocessor.run,
    triage: settings.triage,
    clock: settings.clock,
  };
  return {
    workerCount: 0,
    finishBatch: async (batch) => {
      const finished: FinishedTile[] = [];
      for (let i = 0; i < batch.tiles.length; i += 1) {
        // Post-processing is synchronous: yield between tiles so a cancel is seen.
        await new Promise((resolve) => setImmediate(resolve));
        settings.signal.throwIfAborted();
        finished.push(await finishTile(inferredTileAt(batch, i), finishing));
      }
      return finished;
    },
    close: () => postprocessor.close(),
  };
}

// TODO: every finishing thread loads its own OpenCV.js and post-processing buffers - each
// thread adds about 130 MiB to an analysis's peak resident memory (on 2 cores, one
// finishing thread peaks at about 660 MiB, two at about 800 MiB).
function createPooledFinisher(
  settings: FinisherSettings,
  entry: string,
): TileFinisher & { ready(): Promise<unknown> } {
  const workerData: FinishingWorkerData = {
    postprocessor: settings.postprocessor,
    triage: settings.triage,
  };
  const pool = new Piscina({
    filename: pathToFileURL(entry).href,
    minThreads: settings.workerCount,
    maxThreads: settings.workerCount,
    // Threads load OpenCV.js once: keep them through pauses of the job.
    idleTimeout: Infinity,
    // ONNX Runtime holds the calling thread for a whole batch, and the pool hands out
    // tasks from that thread: queued on the thread, tiles keep it busy meanwhile.
    concurrentTasksPerWorker: BATCHES_QUEUED_PER_THREAD,
    workerData,
  });
  // An idle thread that dies is replaced by the pool; say so, as tiles slow meanwhile.
  pool.on('error', (error: unknown) => {
    log.error('analysis.finishing.worker-failed', { message: String(error) });
  });
  // One listener for the whole job: stopping the threads rejects every task at once.
  let closing: Promise<void> | null = null;
  const onAbort = () => void close();
  const close = () => {
    settings.signal.removeEventListener('abort', onAbort);
    return (closing ??= pool.destroy());
  };
  settings.signal.addEventListener('abort', onAbort, { once: true });

  return {
    workerCount: settings.workerCount,
    ready: () => pool.run(null, { name: 'ready' }),
    finishBatch: async (batch) => {
      const { task, transferList } = transferableTask(batch);
      const reply = (await pool.run(task, { transferList })) as FinishingReply;
      settings.clock.add('postprocess', reply.postprocessMs);
      settings.clock.add('assess', reply.assessMs);
      return reply.finished;
    },
    close,
  };
}

/**
 * The batch as a task: the maps' buffers are moved to the thread (they are the
 * inference outputs, used by nothing else), the tiles' pixels are copied.
 */
function transferableTask(batch: InferredBatch): {
  task: InferredBatch;
  transferList: ArrayBuffer[];
} {
  const { maps } = batch;
  const tiles = batch.tiles.map(({ tile, model }) => ({
    tile,
    model: {
      placement: model.placement,
      rgb: { ...model.rgb, data: model.rgb.data.slice() },
    },
  }));
  const task: InferredBatch = { tiles, maps: { ...maps, organ: null, organCount: 0 } };
  const arrays = [
    maps.np,
    maps.hv,
    maps.nt,
    maps.embedding,
    ...tiles.map((t) => t.model.rgb.data),
  ];
  const buffers = new Set(
    arrays.flatMap((array) => (array ? [array.buffer as ArrayBuffer] : [])),
  );
  return { task, transferList: [...buffers] };
}
