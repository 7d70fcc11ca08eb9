/**
 * Runs analyses off the main thread: each job is a separate process (Electron's
 * `utilityProcess` in the desktop app, `child_process.fork` on the loopback server)
 * started through a {@link WorkerLauncher}. Jobs run one at a time (a slide saturates
 * the CPU); others wait in a queue.
 *
 * Messages, parent to worker: `{ type: 'run', options }`, `{ type: 'cancel' }`.
 * Worker to parent: `{ type: 'progress', progress }`, `{ type: 'outcome', outcome }`,
 * `{ type: 'error', error: { code, message } }`.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../src-shared/errors';
import type { AnalysisProgressInfo } from '../../src-shared/ipc-result-schemas';
import type { AnalysisOptions } from '../analysis/analysis-types';
import { createLogger } from '../logging/logger';
import { slideRef } from '../logging/slide-ref';
import { AnalysisJob, type WorkerLauncher } from './analysis-job';

export type { WorkerLauncher, WorkerHandle } from './analysis-job';

const log = createLogger('ipc.analysis');

/** No job with that id in this session. */
export class JobNotFoundError extends AppError {
  constructor() {
    super('ANALYSIS_NOT_FOUND', 'No analysis run with that id in this session.');
  }
}

/** What starting a job needs besides the slide id. */
export interface JobRequest {
  slideId: string;
  options: AnalysisOptions;
  /** Called with the store's analysis id when the worker reports it. */
  findAnalysisId: () => string | null;
}

/** The queue and the running job. */
export class AnalysisJobs {
  readonly #launch: WorkerLauncher;
  readonly #jobs = new Map<string, AnalysisJob>();
  readonly #queue: AnalysisJob[] = [];
  #running: AnalysisJob | null = null;

  constructor(launch: WorkerLauncher) {
    this.#launch = launch;
  }

  /** Queues a job and returns its first progress report. */
  start(request: JobRequest): AnalysisProgressInfo {
    const jobId = randomUUID().replaceAll('-', '');
    const job = new AnalysisJob({ jobId, ...request });
    this.#jobs.set(jobId, job);
    this.#queue.push(job);
    log.info('analysis.job.queued', {
      slideRef: slideRef(request.slideId),
      queued: this.#queue.length,
    });
    this.#startNext();
    return job.progress();
  }

  /** The latest progress of a job. */
  progress(jobId: string): AnalysisProgressInfo {
    return this.#job(jobId).progress();
  }

  /** Cancels a queued or running job (the worker stops at the next tile batch). */
  cancel(jobId: string): AnalysisProgressInfo {
    const job = this.#job(jobId);
    const queuedIndex = this.#queue.indexOf(job);
    if (queuedIndex >= 0) this.#queue.splice(queuedIndex, 1);
    job.cancel();
    return job.progress();
  }

  /** Stops everything at once (on quit): queued jobs are dropped, workers are killed. */
  shutdown(): void {
    this.#queue.length = 0;
    for (const job of this.#jobs.values()) job.terminate();
  }

  #job(jobId: string): AnalysisJob {
    const job = this.#jobs.get(jobId);
    if (!job) throw new JobNotFoundError();
    return job;
  }

  #startNext(): void {
    if (this.#running) return;
    const next = this.#queue.shift();
    if (!next) return;
    this.#running = next;
    next.run(this.#launch, () => {
      this.#running = null;
      this.#startNext();
    });
  }
}
