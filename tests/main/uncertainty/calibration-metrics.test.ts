import { describe, expect, it } from 'vitest';
import {
  brierScore,
  expectedCalibrationError,
  negativeLogLikelihood,
} from '../../../src-main/uncertainty/calibration-metrics';
import { softmaxRow } from '../../../src-main/uncertainty/temperature';
import { reference, rows } from './reference-fixture';

const { classCount, labels } = reference.temperature;
const probabilities = Float64Array.from(
  rows(reference.temperature.logits, classCount).flatMap((row) =>
    Array.from(softmaxRow(row, 1, new Float64Array(classCount))),
  ),
);
const data = { probabilities, labels, classCount };

describe('expectedCalibrationError', () => {
  it('matches the numpy 15-bin ECE', () => {
    expect(expectedCalibrationError(data, 15)).toBeCloseTo(
      reference.calibration.ece15,
      10,
    );
  });

  it('is 0 for predictions that are always right with confidence 1', () => {
    const perfect = {
      probabilities: Float64Array.from([1, 0, 0, 1]),
      labels: [0, 1],
      classCount: 2,
    };
    expect(expectedCalibrationError(perfect)).toBe(0);
  });
});

describe('negativeLogLikelihood', () => {
  it('matches the numpy NLL', () => {
    expect(negativeLogLikelihood(data)).toBeCloseTo(reference.calibration.nll, 10);
  });
});

describe('brierScore', () => {
  it('matches the numpy multi-class Brier score', () => {
    expect(brierScore(data)).toBeCloseTo(reference.calibration.brier, 10);
  });
});
