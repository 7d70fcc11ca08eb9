/** Starts analysis workers as Electron utility processes (never on the main thread). */
import type { WorkerLauncher } from '../ipc/analysis-jobs';

/** The part of `utilityProcess` the launcher uses. */
export interface UtilityProcessPort {
  fork(
    modulePath: string,
    args: string[],
    options: { serviceName: string; stdio: 'inherit' },
  ): {
    postMessage(message: unknown): void;
    on(event: 'message', listener: (message: unknown) => void): unknown;
    on(event: 'exit', listener: (code: number) => void): unknown;
    kill(): boolean;
  };
}

/** A launcher that forks `entryPath` (the built `analysis-worker.js`). */
export function utilityWorkerLauncher(
  utilityProcess: UtilityProcessPort,
  entryPath: string,
): WorkerLauncher {
  return () => {
    const child = utilityProcess.fork(entryPath, [], {
      serviceName: 'CellViT-Optimus analysis',
      stdio: 'inherit',
    });
    return {
      postMessage: (message) => child.postMessage(message),
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => void child.on('exit', (code) => listener(code)),
      kill: () => void child.kill(),
    };
  };
}
