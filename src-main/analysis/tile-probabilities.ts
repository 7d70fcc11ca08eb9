/**
 * The temperature-scaled probabilities a tile's assessment reads, computed only where
 * it reads them. The arithmetic is that of `softmaxChannels` step for step, so every
 * value computed is the same float; skipping `Math.exp(0)`, which is exactly 1, is the
 * only shortcut. The per-pixel exponentials were a quarter of a tile's finishing time.
 */

/**
 * The nucleus probability (channel 1 of the two np logits, after dividing by
 * `temperature`) of every pixel: `softmaxChannels(np)`'s second plane.
 */
export function nucleusProbabilities(
  np: Float32Array,
  temperature: number,
): Float32Array {
  const planePx = np.length / 2;
  const probability = new Float32Array(planePx);
  for (let pixel = 0; pixel < planePx; pixel += 1) {
    const background = (np[pixel] as number) / temperature;
    const nucleus = (np[planePx + pixel] as number) / temperature;
    const max = Math.max(Math.max(-Infinity, background), nucleus);
    const backgroundExp = exponential(background - max);
    const nucleusExp = exponential(nucleus - max);
    // Rounded to float32 before the division, as the stored exponential is.
    probability[pixel] = Math.fround(nucleusExp) / (0 + backgroundExp + nucleusExp);
  }
  return probability;
}

/** Where and how {@link typeProbabilitiesWhere} computes the type distribution. */
export interface TypeLogits {
  /** Channel-major type logits `[channels, pixels]`. */
  nt: Float32Array;
  channels: number;
  temperature: number;
  /** Per pixel: whether its distribution is needed. */
  isNeeded: (pixel: number) => boolean;
}

/**
 * Channel-major type probabilities, `softmaxChannels(nt)` at the pixels where
 * `isNeeded` holds and 0 elsewhere.
 */
export function typeProbabilitiesWhere(logits: TypeLogits): Float32Array {
  const { nt, channels, temperature, isNeeded } = logits;
  const planePx = nt.length / channels;
  const out = new Float32Array(nt.length);
  for (let pixel = 0; pixel < planePx; pixel += 1) {
    if (!isNeeded(pixel)) continue;
    let max = -Infinity;
    for (let c = 0; c < channels; c += 1) {
      max = Math.max(max, (nt[c * planePx + pixel] as number) / temperature);
    }
    let total = 0;
    for (let c = 0; c < channels; c += 1) {
      const e = exponential((nt[c * planePx + pixel] as number) / temperature - max);
      out[c * planePx + pixel] = e;
      total += e;
    }
    for (let c = 0; c < channels; c += 1) {
      out[c * planePx + pixel] = (out[c * planePx + pixel] as number) / total;
    }
  }
  return out;
}

/** `Math.exp`, without the call where the result is exactly 1. */
function exponential(shifted: number): number {
  return shifted === 0 ? 1 : Math.exp(shifted);
}
