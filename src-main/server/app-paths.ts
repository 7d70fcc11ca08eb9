/**
 * Where the app's own files are when it runs from source (tsx) or from dist/: the
 * package root is found by walking up from this module to `package.json`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding the app's `package.json`. */
export function findAppRoot(moduleUrl: string): string {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error('Cannot find the application folder (package.json).');
    dir = parent;
  }
  return dir;
}

/** The analysis worker entry and the Node flags it needs. */
export function analysisWorkerEntry(
  appRoot: string,
  moduleUrl: string,
): { entryPath: string; execArgv: string[] } {
  if (moduleUrl.endsWith('.ts')) {
    return {
      entryPath: path.join(appRoot, 'src-main', 'ipc', 'analysis-worker.ts'),
      execArgv: ['--import', 'tsx'],
    };
  }
  return {
    entryPath: path.join(appRoot, 'dist', 'main', 'analysis-worker.js'),
    execArgv: [],
  };
}
