import { describe, expect, it } from 'vitest';
import {
  computeNucleusEntropyWhereLabelled,
  computeNucleusProbability,
  type TileMaps,
} from '../../../src-main/nuclei/tile-maps';

/** A 2 x 2 tile whose nucleus logit margins are 0, 2, -3 and 8. */
function mapsWithMargins(): TileMaps {
  return {
    widthPx: 2,
    heightPx: 2,
    np: Float32Array.from([1, 0, 2, -4, 1, 2, -1, 4]),
    hv: new Float32Array(8),
    nt: null,
    ntChannels: 0,
  };
}

function entropyNats(p: number): number {
  return -p * Math.log(p) - (1 - p) * Math.log(1 - p);
}

describe('computeNucleusProbability', () => {
  it('gives the sigmoid of the logit margin over the temperature', () => {
    const probability = new Float32Array(4);

    computeNucleusProbability(mapsWithMargins(), 2, probability);

    const expected = [0, 2, -3, 8].map((m) => 1 / (1 + Math.exp(-m / 2)));
    expected.forEach((p, i) => expect(probability[i]).toBeCloseTo(p, 6));
  });
});

describe('computeNucleusEntropyWhereLabelled', () => {
  it('writes the binary entropy at labelled pixels and 0 elsewhere', () => {
    const entropy = new Float32Array(4).fill(9);

    computeNucleusEntropyWhereLabelled(mapsWithMargins(), 1, {
      labels: Int32Array.from([1, 0, 2, 0]),
      entropy,
    });

    expect(entropy[0]).toBeCloseTo(Math.log(2), 6);
    expect(entropy[1]).toBe(0);
    expect(entropy[2]).toBeCloseTo(entropyNats(1 / (1 + Math.exp(3))), 6);
    expect(entropy[3]).toBe(0);
  });
});
