/**
 * What the analysis tests share: the real CMU-1 slide, a small region of dense
 * epithelium (nine model tiles at the bundle's resolution), the embedded default
 * bundle and a throw-away SQLite file per test. Regions are given for a 0.25 mpp model
 * and grown by {@link atModelScale} to hold as many tiles at the bundle's own scale.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Rect } from '../../../src-shared/geometry';
import { defaultBundlePath } from '../../../src-main/analysis/default-bundle';
import { sharedSlide } from '../../support/shared-data';

/** The CMU-1 small region (Aperio SVS, 0.499 mpp). */
export const CMU1_PATH = sharedSlide('CMU-1-Small-Region.svs');

/** The embedded default bundle. */
export const BUNDLE_PATH = defaultBundlePath();

/** The embedded default's target mpp. */
export const BUNDLE_TARGET_MPP = (
  JSON.parse(readFileSync(path.join(BUNDLE_PATH, 'manifest.json'), 'utf8')) as {
    input: { targetMpp: number };
  }
).input.targetMpp;

/**
 * `rect`, sized in level-0 pixels for a model at 0.25 mpp, with its width and height
 * scaled to cover the same number of tiles of a model at the bundle's target mpp.
 */
export function atModelScale(rect: Rect): Rect {
  const scale = BUNDLE_TARGET_MPP / 0.25;
  return {
    ...rect,
    width: Math.round(rect.width * scale),
    height: Math.round(rect.height * scale),
  };
}

/** Dense epithelium of CMU-1, level-0 pixels: 3 x 3 model tiles of 256 px. */
export const EPITHELIUM_REGION: Rect = atModelScale({
  x: 1000,
  y: 700,
  width: 256,
  height: 256,
});

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
