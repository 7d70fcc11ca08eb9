import { describe, expect, it } from 'vitest';
import {
  binaryEntropyBits,
  meanTypeEntropy,
  normalisedEntropy,
} from '../../../src-main/uncertainty/entropy';
import { reference } from './reference-fixture';

describe('normalisedEntropy', () => {
  it('matches scipy.stats.entropy divided by ln(classes) for every reference vector', () => {
    reference.entropy.vectors.forEach((vector, i) => {
      expect(normalisedEntropy(vector)).toBeCloseTo(reference.entropy.normalised[i]!, 12);
    });
  });

  it('is 1 for a uniform distribution whatever the number of classes', () => {
    expect(
      normalisedEntropy([0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125]),
    ).toBeCloseTo(1, 12);
  });
});

describe('binaryEntropyBits', () => {
  it('matches scipy.stats.entropy in base 2 for every reference probability', () => {
    reference.entropy.probabilities.forEach((p, i) => {
      expect(binaryEntropyBits(p)).toBeCloseTo(reference.entropy.bits[i]!, 12);
    });
  });
});

describe('meanTypeEntropy', () => {
  it('averages only over pixels whose nucleus probability reaches the threshold', () => {
    const npProbabilities = Float32Array.from([0.9, 0.1]);
    // Channel-major [background, class 1, class 2] x 2 pixels.
    const ntProbabilities = Float32Array.from([0.2, 0.1, 0.4, 0.45, 0.4, 0.45]);
    const result = meanTypeEntropy({
      ntProbabilities,
      npProbabilities,
      npThreshold: 0.5,
    });
    expect(result.pixels).toBe(1);
    expect(result.mean).toBeCloseTo(1, 6);
  });

  it('returns null when no pixel is a nucleus', () => {
    const result = meanTypeEntropy({
      ntProbabilities: Float32Array.from([1, 0, 0]),
      npProbabilities: Float32Array.from([0.2]),
      npThreshold: 0.5,
    });
    expect(result.mean).toBeNull();
  });
});
