/**
 * Which of the bundle's data splits (recorded in its calibration file) name an
 * image, so that a figure on images the bundle trained, selected or calibrated on
 * is never passed off as a held-out one.
 */
import type { BundleCalibration } from '../../src-shared/bundle-manifest';

/** Image name -> the splits naming it, as `<source>/<split>` (`consep/train`). */
export type SplitMembership = ReadonlyMap<string, string[]>;

/**
 * Reads `calibration.splits`, shaped `{ source: { split: [names] } }`; entries of
 * any other shape (notes such as `monuseg-test`) are skipped.
 */
export function splitMembership(calibration: BundleCalibration): SplitMembership {
  const membership = new Map<string, string[]>();
  for (const [source, splits] of Object.entries(calibration.splits)) {
    if (typeof splits !== 'object' || splits === null) continue;
    for (const [split, names] of Object.entries(splits as Record<string, unknown>)) {
      if (!Array.isArray(names)) continue;
      for (const name of names) {
        if (typeof name !== 'string') continue;
        membership.set(name, [...(membership.get(name) ?? []), `${source}/${split}`]);
      }
    }
  }
  return membership;
}

/** Whether a split's images shaped the bundle (every split except `test`). */
export function isSeenSplit(split: string): boolean {
  return !split.endsWith('/test');
}
