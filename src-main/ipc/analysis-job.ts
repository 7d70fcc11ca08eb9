/** One analysis run in a worker process, and its progress as the UI sees it. */
import { AppError, type AppErrorInfo } from '../../src-shared/errors';
import type { AnalysisStatus } from '../../src-shared/ipc-schemas';
import type { AnalysisProgressInfo } from '../../src-shared/ipc-result-schemas';
import type { AnalysisProgress } from '../analysis/analysis-progress';
import type { AnalysisOptions, AnalysisOutcome } from '../analysis/analysis-types';
import { createLogger } from '../logging/logger';

const log = createLogger('ipc.analysis');

/** A started worker process, as far as the job needs it. */
export interface WorkerHandle {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (exitCode: number | null) => void): void;
  kill(): void;
}

/** Starts a worker process running the analysis entry. */
export type WorkerLauncher = () => WorkerHandle;

type WorkerMessage =
  | { type: 'progress'; progress: AnalysisProgress }
  | { type: 'outcome'; outcome: AnalysisOutcome }
  | { type: 'error'; error: AppErrorInfo };

function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (value === null || typeof value !== 'object') return false;
  const type = (value as { type?: unknown }).type;
  return type === 'progress' || type === 'outcome' || type === 'error';
}

/** How long a cancelled worker may take to finish its batch before it is killed. */
const CANCEL_GRACE_MS = 30_000;

const EMPTY_PROGRESS: AnalysisProgress = {
  tilesDone: 0,
  tilesTotal: 0,
  nucleiStored: 0,
  tilesPerSecond: 0,
  etaSeconds: null,
  elapsedMs: 0,
};

/** A queued, running or finished job. */
export class AnalysisJob {
  readonly jobId: string;
  readonly slideId: string;
  readonly #options: AnalysisOptions;
  readonly #findAnalysisId: () => string | null;
  #status: AnalysisStatus = 'queued';
  #latest: AnalysisProgress = EMPTY_PROGRESS;
  #analysisId: string | null = null;
  #error: AppErrorInfo | null = null;
  #worker: WorkerHandle | null = null;

  constructor(init: {
    jobId: string;
    slideId: string;
    options: AnalysisOptions;
    findAnalysisId: () => string | null;
  }) {
    this.jobId = init.jobId;
    this.slideId = init.slideId;
    this.#options = init.options;
    this.#findAnalysisId = init.findAnalysisId;
  }

  /** The progress report the UI polls. */
  progress(): AnalysisProgressInfo {
    return {
      jobId: this.jobId,
      analysisId: this.#analysisId,
      slideId: this.slideId,
      status: this.#status,
      ...this.#latest,
      error: this.#error,
    };
  }

  /** Starts the worker; `onEnd` runs once when the job is over, however it ends. */
  run(launch: WorkerLauncher, onEnd: () => void): void {
    if (this.#status !== 'queued') return onEnd();
    this.#status = 'running';
    const worker = launch();
    this.#worker = worker;
    let isOver = false;
    const end = (status: AnalysisStatus, error: AppErrorInfo | null) => {
      if (isOver) return;
      isOver = true;
      this.#finish(status, error);
      onEnd();
    };

    worker.onMessage((message) => this.#receive(message, end));
    worker.onExit((exitCode) =>
      end(this.#status === 'cancelled' ? 'cancelled' : 'failed', {
        code: 'INTERNAL',
        message: `The analysis process stopped unexpectedly (exit code ${exitCode ?? 'unknown'}).`,
      }),
    );
    worker.postMessage({ type: 'run', options: this.#options });
  }

  /**
   * Asks the worker to stop after its current batch, so committed tiles stay valid for
   * a resume; a worker that has not stopped after {@link CANCEL_GRACE_MS} is killed.
   */
  cancel(): void {
    if (this.#status === 'queued') this.#status = 'cancelled';
    if (this.#status !== 'running') return;
    this.#status = 'cancelled';
    const worker = this.#worker;
    worker?.postMessage({ type: 'cancel' });
    setTimeout(() => {
      if (this.#worker === worker) worker?.kill();
    }, CANCEL_GRACE_MS).unref();
  }

  /** Kills the worker now (app shutdown); SQLite's WAL keeps committed batches intact. */
  terminate(): void {
    if (this.#status === 'queued' || this.#status === 'running')
      this.#status = 'cancelled';
    this.#worker?.kill();
  }

  #receive(
    message: unknown,
    end: (status: AnalysisStatus, error: AppErrorInfo | null) => void,
  ) {
    if (!isWorkerMessage(message)) return;
    if (message.type === 'progress') {
      this.#latest = message.progress;
      this.#analysisId ??= this.#lookUpAnalysisId();
    } else if (message.type === 'outcome') {
      this.#analysisId = String(message.outcome.analysisId);
      end(message.outcome.end === 'cancelled' ? 'cancelled' : 'done', null);
    } else {
      end(
        message.error.code === 'ANALYSIS_CANCELLED' ? 'cancelled' : 'failed',
        message.error,
      );
    }
  }

  #finish(status: AnalysisStatus, error: AppErrorInfo | null): void {
    this.#status = status;
    this.#error = status === 'failed' ? error : null;
    this.#analysisId ??= this.#lookUpAnalysisId();
    log.info('analysis.job.ended', {
      status,
      errorCode: this.#error?.code.toLowerCase() ?? null,
    });
    this.#worker?.kill();
    this.#worker = null;
  }

  /**
   * The store id of the job's analysis, or null when it cannot be read: at shutdown
   * the store closes before a killed worker's exit arrives, and the job then ends
   * without an id while the store keeps what the worker committed.
   */
  #lookUpAnalysisId(): string | null {
    try {
      return this.#findAnalysisId();
    } catch (error) {
      log.warn('analysis.job.lookup.failed', {
        errorCode: error instanceof AppError ? error.code.toLowerCase() : 'internal',
      });
      return null;
    }
  }
}
