/**
 * Where the embedded default bundle lives: resolved from this module's location
 * (the package root's `models/`), never from the working directory, so the CLI
 * behaves the same wherever it is started.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folder name of the embedded default bundle under `models/`. */
export const DEFAULT_BUNDLE_ID = 'cellvit-optimus-default';

/** Absolute path of the package root (the folder holding `models/`). */
export function packageRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** Absolute path of the embedded default bundle folder. */
export function defaultBundlePath(): string {
  return path.join(packageRoot(), 'models', DEFAULT_BUNDLE_ID);
}
