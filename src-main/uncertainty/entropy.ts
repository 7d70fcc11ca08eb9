/**
 * Aleatoric uncertainty: Shannon entropy of the model's per-pixel probabilities,
 * normalised by its maximum (log of the number of outcomes) so that 0 means
 * certain and 1 means uniform whatever the number of classes.
 */

const LN2 = Math.log(2);

/** Entropy of one Bernoulli probability in bits (0..1); 0 at p = 0 or 1. */
export function binaryEntropyBits(probability: number): number {
  if (probability <= 0 || probability >= 1) return 0;
  const q = 1 - probability;
  return -(probability * Math.log(probability) + q * Math.log(q)) / LN2;
}

/** Entropy of a probability vector divided by ln(length): 0..1. Zeros contribute 0. */
export function normalisedEntropy(probabilities: ArrayLike<number>): number {
  const count = probabilities.length;
  if (count < 2) return 0;

  let total = 0;
  for (let i = 0; i < count; i += 1) total += probabilities[i] ?? 0;
  if (total <= 0) return 0;

  let entropyNats = 0;
  for (let i = 0; i < count; i += 1) {
    const p = (probabilities[i] ?? 0) / total;
    if (p > 0) entropyNats -= p * Math.log(p);
  }
  return entropyNats / Math.log(count);
}

/** Mean binary entropy (bits) of a nucleus probability map over all its pixels. */
export function meanBinaryEntropy(npProbabilities: Float32Array): number {
  if (npProbabilities.length === 0) return 0;
  let sum = 0;
  for (const p of npProbabilities) sum += binaryEntropyBits(p);
  return sum / npProbabilities.length;
}

/** Options of {@link meanTypeEntropy}. */
export interface TypeEntropyOptions {
  /** Channel-major type probabilities `[channels, pixels]`, channel 0 background. */
  ntProbabilities: Float32Array;
  /** Nucleus probability per pixel; only pixels with p >= `npThreshold` count. */
  npProbabilities: Float32Array;
  npThreshold: number;
}

/**
 * Mean normalised entropy of the type distribution over nucleus pixels. Background
 * (channel 0) is dropped and the rest renormalised: the question asked is "which
 * type", given that the pixel is a nucleus. `null` when no pixel is a nucleus.
 */
export function meanTypeEntropy(options: TypeEntropyOptions): {
  mean: number | null;
  pixels: number;
} {
  const { ntProbabilities, npProbabilities, npThreshold } = options;
  const pixelCount = npProbabilities.length;
  const classCount = ntProbabilities.length / pixelCount - 1;
  const vector = new Float64Array(classCount);

  let sum = 0;
  let pixels = 0;
  for (let pixel = 0; pixel < pixelCount; pixel += 1) {
    if ((npProbabilities[pixel] ?? 0) < npThreshold) continue;
    for (let c = 0; c < classCount; c += 1) {
      vector[c] = ntProbabilities[(c + 1) * pixelCount + pixel] ?? 0;
    }
    sum += normalisedEntropy(vector);
    pixels += 1;
  }
  return { mean: pixels > 0 ? sum / pixels : null, pixels };
}
