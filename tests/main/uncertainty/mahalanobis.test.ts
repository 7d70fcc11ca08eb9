import { describe, expect, it } from 'vitest';
import {
  fitGaussianReference,
  mahalanobisDistance,
} from '../../../src-main/uncertainty/mahalanobis';
import { reference } from './reference-fixture';

const expected = reference.mahalanobis;

describe('fitGaussianReference', () => {
  const fitted = fitGaussianReference(expected.reference);

  it('computes the Ledoit-Wolf shrinkage scikit-learn computes', () => {
    expect(fitted.shrinkage).toBeCloseTo(expected.shrinkage, 10);
  });

  it('computes the precision matrix numpy computes from the shrunk covariance', () => {
    fitted.precision.forEach((value, i) => {
      expect(value).toBeCloseTo(expected.precision[i]!, 6);
    });
  });

  it('refuses fewer than two embeddings', () => {
    expect(() => fitGaussianReference([[1, 2]])).toThrow(/at least two/);
  });
});

describe('mahalanobisDistance', () => {
  const bundleReference = {
    dim: expected.mean.length,
    mean: Float64Array.from(expected.mean),
    precision: Float64Array.from(expected.precision),
  };

  it('matches numpy for reference points and far-away points', () => {
    expected.queries.forEach((query, i) => {
      expect(mahalanobisDistance(query, bundleReference)).toBeCloseTo(
        expected.distances[i]!,
        8,
      );
    });
  });

  it('names both lengths when the embedding does not fit the reference', () => {
    expect(() => mahalanobisDistance([1, 2], bundleReference)).toThrow(
      /2 values .* expects 6/,
    );
  });
});
