import { describe, expect, it } from 'vitest';
import {
  conformalQuantile,
  evaluateSets,
  nonconformityScore,
  predictionSet,
} from '../../../src-main/uncertainty/conformal';
import { reference, rows } from './reference-fixture';

const c = reference.conformal;
const calibration = rows(c.calProbabilities, c.classCount);
const lacScores = calibration.map((p, i) =>
  nonconformityScore(p, c.calLabels[i]!, 'lac'),
);
const apsScores = calibration.map((p, i) =>
  nonconformityScore(p, c.calLabels[i]!, 'aps'),
);

describe('nonconformityScore', () => {
  it('computes LAC scores as numpy does', () => {
    c.lacScoresHead.forEach((score, i) => expect(lacScores[i]).toBeCloseTo(score, 12));
  });

  it('computes APS scores as numpy does', () => {
    c.apsScoresHead.forEach((score, i) => expect(apsScores[i]).toBeCloseTo(score, 12));
  });
});

describe('conformalQuantile', () => {
  it('takes the ceil((n+1)(1-alpha))-th smallest LAC score for each alpha', () => {
    c.alphas.forEach((alpha, i) => {
      expect(conformalQuantile(lacScores, alpha)).toBeCloseTo(c.lacQuantiles[i]!, 12);
    });
  });

  it('takes the ceil((n+1)(1-alpha))-th smallest APS score for each alpha', () => {
    c.alphas.forEach((alpha, i) => {
      expect(conformalQuantile(apsScores, alpha)).toBeCloseTo(c.apsQuantiles[i]!, 12);
    });
  });

  it('returns Infinity when there are too few scores for the alpha', () => {
    expect(conformalQuantile([0.1, 0.4, 0.2], 0.1)).toBe(Infinity);
  });

  it('rejects an alpha outside (0, 1)', () => {
    expect(() => conformalQuantile([0.1], 1)).toThrow(/alpha must be in/);
  });
});

describe('predictionSet', () => {
  it('reaches the coverage and mean set size numpy measures on the test draw', () => {
    const quantile = conformalQuantile(lacScores, 0.1);
    const sets = rows(c.testProbabilities, c.classCount).map((p) =>
      predictionSet(p, { score: 'lac', quantile }),
    );
    const result = evaluateSets(sets, c.testLabels);
    expect(result.coverage).toBeCloseTo(c.lacCoverage, 12);
    expect(result.meanSetSize).toBeCloseTo(c.lacMeanSetSize, 12);
  });

  it('lists classes most probable first', () => {
    expect(predictionSet([0.1, 0.5, 0.4], { score: 'aps', quantile: 0.95 })).toEqual([
      1, 2,
    ]);
  });

  it('falls back to the top class rather than an empty set', () => {
    expect(predictionSet([0.2, 0.7, 0.1], { score: 'lac', quantile: 0.01 })).toEqual([1]);
  });

  it('applies one quantile per class in class-conditional mode', () => {
    const set = predictionSet([0.5, 0.3, 0.2], {
      score: 'lac',
      quantile: [0.6, 0.6, 0.9],
    });
    expect(set).toEqual([0, 2]);
  });
});
