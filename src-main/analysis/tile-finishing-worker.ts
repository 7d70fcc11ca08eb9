/**
 * Worker-thread entry of tile finishing (see `tile-finishing.ts`). Each thread builds
 * its post-processor once from the worker data, then finishes one inferred batch per
 * task and reports how long post-processing and assessment took in the thread. The module
 * imports nothing native, so a thread costs OpenCV.js and the assessment alone.
 */
import { workerData } from 'node:worker_threads';
import type { TriageContext } from '../uncertainty/triage-context';
import type { FinishedTile } from './batch-commit';
import { createPostprocessor, type PostprocessorOptions } from './postprocessor';
import { StageClock } from './stage-clock';
import { finishTile, inferredTileAt, type InferredBatch } from './tile-processing';

/** What every finishing thread starts with (structured-cloned into each thread). */
export interface FinishingWorkerData {
  postprocessor: PostprocessorOptions;
  /** `null` when the bundle's calibration does not allow triage. */
  triage: TriageContext | null;
}

/** A batch's finished tiles in slot order, and the busy time of its stages. */
export interface FinishingReply {
  finished: FinishedTile[];
  postprocessMs: number;
  assessMs: number;
}

/** Finishes one batch sent to the thread. */
export type FinishingHandler = (task: InferredBatch) => Promise<FinishingReply>;

/** The thread's handler, once its post-processor (OpenCV.js) is loaded. */
export async function createFinishingHandler(
  data: FinishingWorkerData,
): Promise<FinishingHandler> {
  const postprocessor = await createPostprocessor(data.postprocessor);
  const finishOne: FinishingHandler = async (task) => {
    const clock = new StageClock();
    const finishing = { postprocess: postprocessor.run, triage: data.triage, clock };
    const finished: FinishedTile[] = [];
    for (let i = 0; i < task.tiles.length; i += 1) {
      finished.push(await finishTile(inferredTileAt(task, i), finishing));
    }
    const { postprocess, assess } = clock.totals();
    return { finished, postprocessMs: postprocess, assessMs: assess };
  };

  // The pool queues several tasks on a thread. Finishing them one after another keeps
  // each task's stage times its own; a failed task does not hold up the next one.
  let previous: Promise<unknown> = Promise.resolve();
  return (task) => {
    const reply = previous.then(() => finishOne(task));
    previous = Promise.allSettled([reply]);
    return reply;
  };
}

// Piscina awaits a promised default export, so OpenCV.js loads as the thread starts.
const handler = createFinishingHandler(workerData as FinishingWorkerData);
export default handler;

/** Resolves once the thread can finish tiles: the pool's start-up check. */
export async function ready(): Promise<boolean> {
  await handler;
  return true;
}
