/**
 * Per-image evaluation samples and their concatenation across images.
 */
import type { RgbTile } from '../types';
import type { HeldOutImage } from './held-out-data';
import type { NucleusSamples, PixelSamples } from './label-samples';
import type { NucleusPixels } from './nucleus-pixels';

/** What one evaluated image contributes. */
export interface ImageSamples {
  image: HeldOutImage;
  pixels: PixelSamples;
  /**
   * Type samples at T = 1 and at the bundle temperature, and the nuclei's pixel
   * logits they were formed from; `null` for untyped data.
   */
  nuclei: { before: NucleusSamples; after: NucleusSamples; pixels: NucleusPixels } | null;
  embeddings: Float32Array[];
  tiles: RgbTile[];
}

/** Concatenates pixel samples. */
export function mergePixelSamples(parts: readonly PixelSamples[]): PixelSamples {
  const count = parts.reduce((n, p) => n + p.labels.length, 0);
  const logits = new Float32Array(2 * count);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const part of parts) {
    logits.set(part.logits, 2 * at);
    labels.set(part.labels, at);
    at += part.labels.length;
  }
  return { logits, labels };
}

/** Concatenates the type samples of the images that have them. */
export function mergeNucleusSamples(images: readonly ImageSamples[]): {
  before: NucleusSamples;
  after: NucleusSamples;
} {
  const merged = {
    before: { probabilities: [] as number[][], labels: [] as number[] },
    after: { probabilities: [] as number[][], labels: [] as number[] },
  };
  for (const { nuclei } of images) {
    if (!nuclei) continue;
    for (const key of ['before', 'after'] as const) {
      merged[key].probabilities.push(...nuclei[key].probabilities);
      merged[key].labels.push(...nuclei[key].labels);
    }
  }
  return merged;
}
