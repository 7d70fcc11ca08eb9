/**
 * Locates the public data set beside the checkout (`../shared/data`). Tests that
 * need it use `describeWithData`: they skip with a clear message when it is
 * absent, except under CI (`CI=true`), where its absence is a failure.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

export const SHARED_DATA_DIR = path.resolve(
  process.env.CELLVIT_SHARED_DATA ??
    path.join(
      path.dirname(fileURLToPath(import.meta.url)),
      '..',
      '..',
      '..',
      'shared',
      'data',
    ),
);

export const hasSharedData = existsSync(path.join(SHARED_DATA_DIR, 'slides'));

/** Absolute path of a file under the shared data folder. */
export function sharedDataPath(...parts: string[]): string {
  return path.join(SHARED_DATA_DIR, ...parts);
}

/** Absolute path of one of the public slides. */
export function sharedSlide(name: string): string {
  return sharedDataPath('slides', name);
}

/** `describe` that needs ../shared/data: skips locally without it, fails under CI. */
export function describeWithData(name: string, body: () => void): void {
  if (hasSharedData) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      throw new Error(`CI needs the shared data at ${SHARED_DATA_DIR}; it is missing.`);
    });
    return;
  }
  describe.skip(`${name} (skipped: no shared data at ${SHARED_DATA_DIR})`, body);
}
