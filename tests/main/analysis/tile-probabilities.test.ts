import { describe, expect, it } from 'vitest';
import {
  nucleusProbabilities,
  typeProbabilitiesWhere,
} from '../../../src-main/analysis/tile-probabilities';
import { softmaxChannels } from '../../../src-main/uncertainty/temperature';

const PLANE_PX = 4096;

/** Logits with ties, zeros, large margins and ordinary values, from a fixed seed. */
function logits(channels: number, seed: number): Float32Array {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const values = new Float32Array(channels * PLANE_PX);
  for (let i = 0; i < values.length; i += 1) values[i] = (next() - 0.5) * 24;
  for (let pixel = 0; pixel < PLANE_PX; pixel += 7) {
    for (let c = 0; c < channels; c += 1) values[c * PLANE_PX + pixel] = pixel % 3;
  }
  for (let pixel = 3; pixel < PLANE_PX; pixel += 11) values[pixel] = 80;
  return values;
}

/** Indices where `actual` is not the very same float as `expected`. */
function differences(actual: Float32Array, expected: Float32Array): number[] {
  const found: number[] = [];
  for (let i = 0; i < expected.length; i += 1) {
    if (!Object.is(actual[i], expected[i])) found.push(i);
  }
  return found;
}

describe('nucleusProbabilities', () => {
  it.each([1, 0.73, 1.9])(
    'gives the same floats as the second plane of softmaxChannels at temperature %d',
    (temperature) => {
      const np = logits(2, 17);
      const expected = softmaxChannels({ logits: np, channels: 2, temperature });
      const actual = nucleusProbabilities(np, temperature);

      expect(actual).toHaveLength(PLANE_PX);
      expect(differences(actual, expected.subarray(PLANE_PX))).toEqual([]);
    },
  );
});

describe('typeProbabilitiesWhere', () => {
  it('gives the same floats as softmaxChannels where needed and 0 elsewhere', () => {
    const nt = logits(5, 29);
    const isNeeded = (pixel: number) => pixel % 4 !== 1;
    const full = softmaxChannels({ logits: nt, channels: 5, temperature: 1.3 });
    const expected = full.map((value, i) => (isNeeded(i % PLANE_PX) ? value : 0));

    const actual = typeProbabilitiesWhere({
      nt,
      channels: 5,
      temperature: 1.3,
      isNeeded,
    });

    expect(differences(actual, expected)).toEqual([]);
  });

  it('computes nothing when no pixel is needed', () => {
    const actual = typeProbabilitiesWhere({
      nt: logits(3, 5),
      channels: 3,
      temperature: 1,
      isNeeded: () => false,
    });

    expect(actual.every((value) => value === 0)).toBe(true);
  });
});
