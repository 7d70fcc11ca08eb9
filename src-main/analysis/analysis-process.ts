/**
 * Process entry that runs one analysis job from a message and posts progress back.
 * Works under Node's `child_process.fork` (`process.send` / `process.on('message')`)
 * and Electron's `utilityProcess` (`process.parentPort`), so the desktop app keeps
 * decoding, inference and writes off its main process.
 *
 * Messages in: `{ type: 'start', options }` once, then optionally `{ type: 'cancel' }`.
 * Messages out: `progress` reports, then exactly one `done` or `error`; the process
 * then exits.
 */
import { AppError, type AppErrorInfo } from '../../src-shared/errors';
import { createLogger } from '../logging/logger';
import type { AnalysisProgress } from './analysis-progress';
import type { AnalysisOptions, AnalysisOutcome } from './analysis-types';
import { runAnalysis } from './run-analysis';

const log = createLogger('analysis.process');

/** What the parent sends. */
export type AnalysisRequest =
  { type: 'start'; options: AnalysisOptions } | { type: 'cancel' };

/** What the process posts back. */
export type AnalysisMessage =
  | { type: 'progress'; progress: AnalysisProgress }
  | { type: 'done'; outcome: AnalysisOutcome }
  | { type: 'error'; error: AppErrorInfo };

/** The parent link: Electron's `parentPort` when present, else Node's IPC channel. */
interface ParentLink {
  /** Resolves once the message has been handed to the channel. */
  post(message: AnalysisMessage): Promise<void>;
  onMessage(listener: (message: unknown) => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function connectToParent(): ParentLink | null {
  const parentPort = (process as { parentPort?: ElectronParentPort }).parentPort;
  if (parentPort) {
    return {
      post: async (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
    };
  }
  const send = process.send?.bind(process);
  if (!send) return null;
  return {
    post: (message) =>
      new Promise<void>((resolve) => {
        // A send that fails means the parent has gone; nothing is left to tell it.
        send(message, undefined, {}, () => resolve());
      }),
    onMessage: (listener) => process.on('message', listener),
  };
}

/** Converts any failure to the error half of a result, never leaking a path. */
export function toErrorInfo(error: unknown): AppErrorInfo {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  return {
    code: 'INTERNAL',
    message: 'The analysis failed unexpectedly; see the log for details.',
  };
}

function isRequest(message: unknown): message is AnalysisRequest {
  const type = (message as { type?: unknown } | null)?.type;
  return type === 'start' || type === 'cancel';
}

/** Serves one job over `link`; resolves once the outcome or error has been posted. */
export function serveAnalysis(link: ParentLink): Promise<void> {
  const controller = new AbortController();
  return new Promise((resolve) => {
    let hasStarted = false;
    link.onMessage((message) => {
      if (!isRequest(message)) {
        log.warn('analysis.process.message.ignored', { reason: 'not a request' });
        return;
      }
      if (message.type === 'cancel') {
        controller.abort(new Error('cancelled by the parent'));
        return;
      }
      if (hasStarted) return;
      hasStarted = true;
      runJob(link, message.options, controller.signal).then(resolve);
    });
  });
}

async function runJob(
  link: ParentLink,
  options: AnalysisOptions,
  signal: AbortSignal,
): Promise<void> {
  try {
    const outcome: AnalysisOutcome = await runAnalysis(options, {
      signal,
      onProgress: (progress) => void link.post({ type: 'progress', progress }),
    });
    await link.post({ type: 'done', outcome });
  } catch (error) {
    log.error('analysis.process.failed', { code: toErrorInfo(error).code });
    await link.post({ type: 'error', error: toErrorInfo(error) });
  }
}

const link = connectToParent();
if (link) {
  await serveAnalysis(link);
  process.exit(0);
}
