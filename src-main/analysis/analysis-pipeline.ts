/**
 * The overlapping stages of an analysis, joined by bounded queues:
 *
 *   read + resample -> normalise + batch + inference -> post-process + assess -> commit
 *
 * Each stage runs as its own async loop, so reading the next tiles and writing the
 * previous batch proceed while ONNX Runtime works on the current batch on its own
 * threads. The queues hold a few tiles or batches at most: memory does not grow
 * with the slide. A failing stage or an abort stops every stage.
 */
import type { NucleiMaps } from '../inference/engine';
import { BatchBuilder } from '../inference/preprocess';
import { tileMapsAt } from '../nuclei/tile-maps';
import type { SlideReader } from '../slides/slide-reader';
import type { ResultStore } from '../store/store';
import { commitFinishedBatch, type FinishedTile } from './batch-commit';
import { BoundedQueue } from './bounded-queue';
import type { ProgressListener, ProgressTracker } from './analysis-progress';
import type { StageClock } from './stage-clock';
import type { TileInference } from './tile-inference';
import { finishTile, type PlannedTile, type TileFinishing } from './tile-processing';
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
  finishing: TileFinishing;
  clock: StageClock;
  progress: ProgressTracker;
  onProgress?: ProgressListener;
  signal: AbortSignal;
}

interface ReadTile {
  tile: PlannedTile;
  model: ModelTile;
}

interface InferredBatch {
  tiles: ReadTile[];
  maps: NucleiMaps;
}

/** Tiles read ahead of inference: two batches, enough to hide read latency. */
const READ_AHEAD_BATCHES = 2;

/** Runs every stage to the end; rejects with the first stage error or the abort reason. */
export async function runPipeline(context: PipelineContext): Promise<void> {
  const read = new BoundedQueue<ReadTile>(context.batchSize * READ_AHEAD_BATCHES);
  const inferred = new BoundedQueue<InferredBatch>(1);
  const finished = new BoundedQueue<FinishedTile[]>(1);
  const queues = [read, inferred, finished];

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
      stage(finishStage(context, { input: inferred, output: finished })),
      stage(writeStage(context, finished)),
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

async function finishStage(
  context: PipelineContext,
  queues: { input: BoundedQueue<InferredBatch>; output: BoundedQueue<FinishedTile[]> },
): Promise<void> {
  for await (const batch of queues.input.drain()) {
    const { maps } = batch;
    const finished: FinishedTile[] = [];
    for (const [i, item] of batch.tiles.entries()) {
      // Post-processing is synchronous: yield between tiles so a cancel is seen promptly.
      await yieldToEventLoop();
      context.signal.throwIfAborted();
      const embedding = maps.embedding.slice(
        i * maps.embeddingDim,
        (i + 1) * maps.embeddingDim,
      );
      finished.push(
        await finishTile(
          { ...item, maps: tileMapsAt(maps, i), embedding },
          context.finishing,
        ),
      );
    }
    await queues.output.put(finished);
  }
  queues.output.close();
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function writeStage(
  context: PipelineContext,
  input: BoundedQueue<FinishedTile[]>,
): Promise<void> {
  for await (const batch of input.drain()) {
    const { nucleusCount } = context.clock.time('write', () =>
      commitFinishedBatch(context.store, context.analysisId, batch),
    );
    const progress = context.progress.record(batch.length, nucleusCount);
    context.onProgress?.(progress);
  }
}
