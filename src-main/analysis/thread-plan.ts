/**
 * How an analysis shares the cores between ONNX Runtime and the worker threads that
 * post-process and assess tiles.
 *
 * ONNX Runtime for Node runs a batch on the thread that calls it, plus
 * `intraOpThreads - 1` threads of its own. With the embedded bundle on a CPU,
 * finishing a tile now takes about the processor time of inferring it on one thread
 * (about 14 against 16 ms per 256 px tile), so the cores are split evenly between
 * the two. On 2 cores (CMU-1 Small Region, 252 tiles, three interleaved rounds of
 * `npm run bench -- pipeline`), 1 ONNX Runtime thread and 1 finishing thread ran at
 * 32.0, 32.8 and 30.9 tiles/s with a peak of 650-680 MiB, against 29.7, 28.4 and
 * 23.0 tiles/s and 790-815 MiB with 2 finishing threads (each loads its own
 * OpenCV.js); 2 + 1 and 2 + 2 were no faster and varied more. ONNX Runtime's own
 * threads are told not to spin while waiting for work when they share the cores
 * with finishing threads.
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
  const evenShare = Math.max(1, Math.floor(cores / 2));
  const finishingThreads =
    options.finishingThreads ??
    Math.max(1, cores - (options.intraOpThreads ?? evenShare));
  const intraOpThreads =
    options.intraOpThreads ?? (finishingThreads > 0 ? evenShare : cores);
  return { intraOpThreads, finishingThreads };
}
