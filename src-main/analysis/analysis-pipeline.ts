/**
 * The overlapping stages of an analysis, joined by bounded queues:
 *
 *   read + resample -> normalise + batch + inference -> post-process + assess -> commit
 *
 * Each stage runs as its own async loop. ONNX Runtime for Node holds the calling
 * thread while a batch runs, so tiles are read on OpenSlide's and sharp's threads and
 * finished (post-processed and assessed) on the finisher's worker threads meanwhile.
 * Batches are committed in order. The queues hold a few tiles or batches at most:
 * memory does not grow with the slide. A failing stage or an abort stops every stage.
 */
import { BatchBuilder } from '../inference/preprocess';
import type { SlideReader } from '../slides/slide-reader';
import type { ResultStore } from '../store/store';
import { commitFinishedBatch, type FinishedTile } from './batch-commit';
import { BoundedQueue } from './bounded-queue';
import type { ProgressListener, ProgressTracker } from './analysis-progress';
import type { StageClock } from './stage-clock';
import type { TileInference } from './tile-inference';
import type { TileFinisher } from './tile-finishing';
import type { InferredBatch, PlannedTile } from './tile-processing';
import { readModelTile, type ModelTile } from './tile-reading';

/** Everything the stages share. */
export interface PipelineContext {
  reader: SlideReader;
  /** The bundle's sessions, behind the embedding cache where the bundle allows it. */
  inference: TileInference;
  store: ResultStore;
  analysisId: number;
  /** Tiles still to do, in order. */
  tiles: PlannedTile[];
  /** Pyramid level the tiles are read at. */
  level: number;
  batchSize: number;
  finisher: TileFinisher;
  clock: StageClock;
  progress: ProgressTracker;
  onProgress?: ProgressListener;
  signal: AbortSignal;
}

interface ReadTile {
  tile: PlannedTile;
  model: ModelTile;
}

/** Tiles read ahead of inference: two batches, enough to hide read latency. */
const READ_AHEAD_BATCHES = 2;

/** A batch being finished; it settles with its tiles in slot order. */
type FinishingBatch = Promise<FinishedTile[]>;

/**
 * Batches handed to the finisher and queued for the commit stage, besides the one it
 * waits for and the one waiting to be queued: four in all, enough to keep two
 * finishing threads busy with a batch each and one more queued.
 */
const FINISHING_AHEAD_BATCHES = 2;

/** Runs every stage to the end; rejects with the first stage error or the abort reason. */
export async function runPipeline(context: PipelineContext): Promise<void> {
  const read = new BoundedQueue<ReadTile>(context.batchSize * READ_AHEAD_BATCHES);
  const inferred = new BoundedQueue<InferredBatch>(1);
  const finishing = new BoundedQueue<FinishingBatch>(FINISHING_AHEAD_BATCHES);
  const queues = [read, inferred, finishing];

  const stopAll = (reason: unknown) => queues.forEach((queue) => queue.fail(reason));
  const onAbort = () => stopAll(context.signal.reason);
  context.signal.addEventListener('abort', onAbort, { once: true });

  const stage = (body: Promise<void>) =>
    body.catch((error: unknown) => {
      stopAll(error);
      throw error;
    });
  try {
    context.signal.throwIfAborted();
    // Settle every stage before returning: an inference still in flight must finish
    // before the caller releases the session it runs on.
    const results = await Promise.allSettled([
      stage(readStage(context, read)),
      stage(inferStage(context, { input: read, output: inferred })),
      stage(finishStage(context, { input: inferred, output: finishing }, stopAll)),
      stage(writeStage(context, finishing)),
    ]);
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
  } finally {
    context.signal.removeEventListener('abort', onAbort);
  }
}

async function readStage(
  context: PipelineContext,
  output: BoundedQueue<ReadTile>,
): Promise<void> {
  const tileSizePx = context.inference.manifest.input.tileSizePx;
  for (const tile of context.tiles) {
    context.signal.throwIfAborted();
    const model = await context.clock.timeAsync('read', () =>
      readModelTile(
        context.reader,
        { baseRect: tile.baseRect, level: context.level, tileSizePx },
        context.signal,
      ),
    );
    await output.put({ tile, model });
  }
  output.close();
}

async function inferStage(
  context: PipelineContext,
  queues: { input: BoundedQueue<ReadTile>; output: BoundedQueue<InferredBatch> },
): Promise<void> {
  const { manifest } = context.inference;
  const builder = new BatchBuilder(
    manifest.input.normalisation,
    manifest.input.tileSizePx,
    context.batchSize,
  );
  let pending: ReadTile[] = [];

  const flush = async () => {
    const tiles = pending;
    pending = [];
    context.clock.time('normalise', () =>
      tiles.forEach((item, i) =>
        builder.writeTile({ ...item.model.rgb, channels: 3 }, i),
      ),
    );
    const maps = await context.clock.timeAsync('inference', () =>
      context.inference.run(
        {
          pixels: builder.view(tiles.length),
          tileIndices: tiles.map((item) => item.tile.tileIndex),
        },
        context.signal,
      ),
    );
    await queues.output.put({ tiles, maps });
  };

  for await (const item of queues.input.drain()) {
    pending.push(item);
    if (pending.length === context.batchSize) await flush();
  }
  if (pending.length > 0) await flush();
  queues.output.close();
}

/**
 * Hands each inferred batch to the finisher and queues the pending batch for the
 * commit stage. A batch that fails stops every stage at once, even while it waits
 * in the queue behind earlier batches.
 */
async function finishStage(
  context: PipelineContext,
  queues: { input: BoundedQueue<InferredBatch>; output: BoundedQueue<FinishingBatch> },
  stopAll: (reason: unknown) => void,
): Promise<void> {
  for await (const batch of queues.input.drain()) {
    context.signal.throwIfAborted();
    const pending = context.finisher.finishBatch(batch);
    pending.catch(stopAll);
    await queues.output.put(pending);
  }
  queues.output.close();
}

async function writeStage(
  context: PipelineContext,
  input: BoundedQueue<FinishingBatch>,
): Promise<void> {
  for await (const pending of input.drain()) {
    const batch = await pending;
    const { nucleusCount } = context.clock.time('write', () =>
      commitFinishedBatch(context.store, context.analysisId, batch),
    );
    const progress = context.progress.record(batch.length, nucleusCount);
    context.onProgress?.(progress);
  }
}
