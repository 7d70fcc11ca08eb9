/**
 * Starts analysis workers with Node's `child_process.fork` (loopback server and
 * tests); the desktop app uses Electron's `utilityProcess` instead.
 */
import { fork } from 'node:child_process';
import type { WorkerLauncher } from '../ipc/analysis-jobs';

/**
 * A launcher for `entryPath` (`analysis-worker.ts` under tsx in development, the
 * built `.js` otherwise); `execArgv` adds loader flags such as `--import tsx`.
 */
export function forkWorkerLauncher(
  entryPath: string,
  execArgv: string[] = [],
): WorkerLauncher {
  return () => {
    const child = fork(entryPath, [], {
      execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return {
      postMessage: (message) => child.send(message as object),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => child.kill(),
    };
  };
}
