/**
 * Entry of the analysis worker process. The shell starts it with Electron's
 * `utilityProcess.fork` (messages through `process.parentPort`) or Node's
 * `child_process.fork` (messages through `process.send`); either way it runs one
 * analysis with `runAnalysis` and reports progress, the outcome or a typed error.
 */
import { AppError, type AppErrorInfo } from '../../src-shared/errors';
import { runAnalysis } from '../analysis/run-analysis';
import type { AnalysisOptions } from '../analysis/analysis-types';
import { createLogger } from '../logging/logger';

const log = createLogger('analysis.worker');

interface ParentPort {
  post(message: unknown): void;
  listen(listener: (message: unknown) => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function connectToParent(): ParentPort {
  const electronPort = (process as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      post: (message) => electronPort.postMessage(message),
      listen: (listener) => electronPort.on('message', (event) => listener(event.data)),
    };
  }
  if (!process.send) throw new Error('The analysis worker must be started by the app.');
  return {
    post: (message) => process.send?.(message),
    listen: (listener) => process.on('message', listener),
  };
}

function toErrorInfo(error: unknown): AppErrorInfo {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  log.error('analysis.worker.crashed', {
    errorName: error instanceof Error ? error.name : typeof error,
  });
  return {
    code: 'INTERNAL',
    message: 'The analysis failed unexpectedly; the log has the details.',
  };
}

function serve(parent: ParentPort): void {
  const controller = new AbortController();
  let isRunning = false;
  parent.listen((message) => {
    const request = message as { type?: string; options?: AnalysisOptions };
    if (request.type === 'cancel') controller.abort();
    if (request.type !== 'run' || !request.options || isRunning) return;
    isRunning = true;
    runAnalysis(request.options, {
      signal: controller.signal,
      onProgress: (progress) => parent.post({ type: 'progress', progress }),
    })
      .then((outcome) => parent.post({ type: 'outcome', outcome }))
      .catch((error: unknown) =>
        parent.post({ type: 'error', error: toErrorInfo(error) }),
      );
  });
}

serve(connectToParent());
