import { describe, expect, it } from 'vitest';
import {
  fitTemperature,
  goldenSectionMinimise,
  meanNll,
  softmaxChannels,
} from '../../../src-main/uncertainty/temperature';
import { reference } from './reference-fixture';

const data = {
  logits: Float64Array.from(reference.temperature.logits),
  labels: reference.temperature.labels,
  classCount: reference.temperature.classCount,
};

describe('fitTemperature', () => {
  it('finds the NLL-optimal temperature scipy finds, to 1e-4', () => {
    expect(fitTemperature(data)).toBeCloseTo(reference.temperature.temperature, 4);
  });

  it('lowers the NLL to the value scipy reaches at its optimum', () => {
    expect(meanNll(data, 1)).toBeCloseTo(reference.temperature.nllAtOne, 10);
    expect(meanNll(data, fitTemperature(data))).toBeCloseTo(
      reference.temperature.nllAtOptimum,
      8,
    );
  });

  it('refuses to fit on zero samples', () => {
    expect(() =>
      fitTemperature({ logits: new Float64Array(), labels: [], classCount: 3 }),
    ).toThrow(/zero labelled samples/);
  });
});

describe('goldenSectionMinimise', () => {
  it('finds the minimum of a parabola inside the bracket', () => {
    expect(
      goldenSectionMinimise((x) => (x - 1.3) ** 2, { lower: -5, upper: 5 }),
    ).toBeCloseTo(1.3, 6);
  });
});

describe('softmaxChannels', () => {
  it('turns channel-major logits into per-pixel distributions after dividing by T', () => {
    const logits = Float32Array.from([0, 2, 2, 0]);
    const probabilities = softmaxChannels({ logits, channels: 2, temperature: 2 });
    const expected = 1 / (1 + Math.exp(1));
    expect(probabilities[0]).toBeCloseTo(expected, 6);
    expect(probabilities[2]).toBeCloseTo(1 - expected, 6);
    expect(probabilities[1]! + probabilities[3]!).toBeCloseTo(1, 6);
  });
});
