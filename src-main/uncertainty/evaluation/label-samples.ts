/**
 * Labelled samples from stitched model outputs and ground-truth maps: nucleus-map
 * logits per pixel (on a regular pixel grid) and type probabilities per true nucleus,
 * formed as the app and the calibration tools form them (see ./nucleus-pixels).
 */
import {
  nucleusDistributions,
  typedNucleusPixels,
  type TypedImageInput,
} from './nucleus-pixels';

/** Pixel samples of the nucleus map: logits `[n, 2]` row-major and 0/1 labels. */
export interface PixelSamples {
  logits: Float32Array;
  labels: Uint8Array;
}

/** Every `stridePx`-th pixel in both directions: logits and whether a nucleus is there. */
export function npPixelSamples(
  npLogits: Float32Array,
  instances: Uint32Array,
  options: { widthPx: number; heightPx: number; stridePx: number },
): PixelSamples {
  const { widthPx, heightPx, stridePx } = options;
  const planePx = widthPx * heightPx;
  const count = Math.ceil(widthPx / stridePx) * Math.ceil(heightPx / stridePx);
  const logits = new Float32Array(count * 2);
  const labels = new Uint8Array(count);

  let n = 0;
  for (let y = 0; y < heightPx; y += stridePx) {
    for (let x = 0; x < widthPx; x += stridePx) {
      const p = y * widthPx + x;
      logits[2 * n] = npLogits[p]!;
      logits[2 * n + 1] = npLogits[planePx + p]!;
      labels[n] = instances[p]! > 0 ? 1 : 0;
      n += 1;
    }
  }
  return { logits: logits.subarray(0, 2 * n), labels: labels.subarray(0, n) };
}

/** Nucleus samples: class probabilities `[n][classes]` and 0-based true class positions. */
export interface NucleusSamples {
  probabilities: number[][];
  labels: number[];
}

/** Options of {@link nucleusTypeSamples}. */
export interface NucleusSampleInput extends TypedImageInput {
  temperature: number;
}

/**
 * One sample per true nucleus of known type (see {@link typedNucleusPixels}): its
 * distribution at `temperature` and its class position (channel - 1).
 */
export function nucleusTypeSamples(input: NucleusSampleInput): NucleusSamples {
  return nucleusDistributions(typedNucleusPixels(input), input.temperature);
}
