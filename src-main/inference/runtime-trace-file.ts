/**
 * ONNX Runtime for Node links Microsoft's telemetry SDK, which opens an empty trace
 * file, `/tmp/mat-debug-<pid>.log`, in every process the first time a session is
 * created. Nothing is written to it and no socket is opened (checked with strace on
 * ONNX Runtime 1.30 under Linux), but a workstation would collect one such file per
 * analysis and per provider probe. Each is removed once its process has created its
 * first session, or once a probe child has exited; only an empty file of exactly
 * that name is touched.
 */
import { statSync, unlinkSync } from 'node:fs';
import { createLogger } from '../logging/logger';

const log = createLogger('inference');

/** Where the SDK puts its trace file; it does not follow TMPDIR. */
const TRACE_FOLDER = '/tmp';

/** The trace file ONNX Runtime opens in process `pid`. */
export function runtimeTraceFilePath(pid: number): string {
  return `${TRACE_FOLDER}/mat-debug-${pid}.log`;
}

/** Removes process `pid`'s trace file if it exists and is still empty. */
export function removeRuntimeTraceFile(pid: number = process.pid): void {
  if (process.platform !== 'linux') return;
  const file = runtimeTraceFilePath(pid);
  try {
    if (statSync(file).size === 0) unlinkSync(file);
  } catch (error) {
    // Documented fallback: no such file (another build, or already removed) is the
    // normal case, and any other failure only leaves an empty file behind.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') log.debug('runtime.trace-file.kept', { code: String(code) });
  }
}
