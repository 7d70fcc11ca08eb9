/**
 * What the analysis tests share: the real CMU-1 slide, a small region of dense
 * epithelium (nine model tiles at the bundle's resolution), the embedded default
 * bundle and a throw-away SQLite file per test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Rect } from '../../../src-shared/geometry';
import { defaultBundlePath } from '../../../src-main/analysis/default-bundle';
import { sharedSlide } from '../../support/shared-data';

/** The CMU-1 small region (Aperio SVS, 0.499 mpp). */
export const CMU1_PATH = sharedSlide('CMU-1-Small-Region.svs');

/** Dense epithelium of CMU-1, level-0 pixels: 3 x 3 tiles of 256 px at 0.25 mpp. */
export const EPITHELIUM_REGION: Rect = { x: 1000, y: 700, width: 256, height: 256 };

/** The embedded default bundle. */
export const BUNDLE_PATH = defaultBundlePath();

/** A fresh folder for one test's database; `cleanup` removes it. */
export function temporaryFolder(): {
  folder: string;
  dbPath: string;
  cleanup: () => void;
} {
  const folder = mkdtempSync(path.join(tmpdir(), 'cellvit-analysis-'));
  return {
    folder,
    dbPath: path.join(folder, 'results.db'),
    cleanup: () => rmSync(folder, { recursive: true, force: true }),
  };
}
