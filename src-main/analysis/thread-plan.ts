/**
 * How an analysis shares the cores between ONNX Runtime and the worker threads that
 * post-process and assess tiles.
 *
 * ONNX Runtime for Node runs a batch on the thread that calls it, plus
 * `intraOpThreads - 1` threads of its own. With the embedded bundle on a CPU, finishing
 * a tile takes about three times the processor time of inferring it (CMU-1 Small
 * Region, 252 tiles of 256 px: 7.1 s of inference on one ONNX Runtime thread against
 * 22.6 s of finishing), so every core gets a finishing thread and ONNX Runtime a
 * quarter of the cores. On 2 cores shared with other work, 1 ONNX Runtime thread and
 * 2 finishing threads analysed that slide fastest of 1 + 2, 2 + 2, 2 + 1, 1 + 1 and
 * 2 + 0, and a second ONNX Runtime thread added about a quarter to the job's
 * processor time (its threads wait for work by spinning).
 */
import { availableParallelism } from 'node:os';
import type { AnalysisOptions } from './analysis-types';

/** Threads of one analysis. */
export interface ThreadPlan {
  /** ONNX Runtime threads per operator, the calling thread included. */
  intraOpThreads: number;
  /** Worker threads finishing tiles; 0 finishes them on the calling thread. */
  finishingThreads: number;
}

/** The options' thread counts, with defaults for those not given (see the module comment). */
export function planThreads(
  options: Pick<AnalysisOptions, 'intraOpThreads' | 'finishingThreads'>,
  cores: number = availableParallelism(),
): ThreadPlan {
  const finishingThreads = options.finishingThreads ?? cores;
  const intraOpThreads =
    options.intraOpThreads ??
    (finishingThreads > 0 ? Math.max(1, Math.round(cores / 4)) : cores);
  return { intraOpThreads, finishingThreads };
}
