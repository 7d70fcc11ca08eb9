import { describe, expect, it } from 'vitest';
import {
  npPixelSamples,
  nucleusTypeSamples,
} from '../../../../src-main/uncertainty/evaluation/label-samples';

/** Channel-major logits of three nt channels (background, class 1, class 2) over pixels. */
function channelMajor(perPixel: readonly (readonly number[])[]): Float32Array {
  const planePx = perPixel.length;
  const out = new Float32Array(3 * planePx);
  perPixel.forEach((logits, p) => logits.forEach((v, c) => (out[c * planePx + p] = v)));
  return out;
}

function classSoftmax(logits: readonly number[], temperature: number): number[] {
  const exp = logits.slice(1).map((v) => Math.exp(v / temperature));
  const total = exp.reduce((a, b) => a + b, 0);
  return exp.map((e) => e / total);
}

describe('nucleusTypeSamples', () => {
  const pixelLogits = [
    [0, Math.log(3), 0],
    [4, 1, 0.5],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const instances = Uint32Array.from([1, 1, 2, 0]);
  const input = {
    ntLogits: channelMajor(pixelLogits),
    ntChannels: 3,
    instances,
    types: Uint32Array.from([2, 2, 9, 0]),
    mapping: new Map([[2, 1]]),
    temperature: 1,
  };

  it('averages each pixel class softmax over the nucleus, the background logit playing no part', () => {
    const samples = nucleusTypeSamples({ ...input, temperature: 2 });
    const expected = [0, 1].map(
      (c) =>
        (classSoftmax(pixelLogits[0]!, 2)[c]! + classSoftmax(pixelLogits[1]!, 2)[c]!) / 2,
    );
    expect(samples.labels).toEqual([0]);
    expect(samples.probabilities[0]![0]).toBeCloseTo(expected[0]!, 6);
    expect(samples.probabilities[0]![1]).toBeCloseTo(expected[1]!, 6);
  });

  it('skips nuclei whose type the mapping cannot place', () => {
    const samples = nucleusTypeSamples({ ...input, mapping: new Map() });
    expect(samples.labels).toEqual([]);
  });

  it('gives a tied vote to the lowest channel', () => {
    const samples = nucleusTypeSamples({
      ...input,
      types: Uint32Array.from([5, 2, 9, 0]),
      mapping: new Map([
        [2, 2],
        [5, 1],
      ]),
    });
    expect(samples.labels).toEqual([0]);
  });

  it('lets an unmappable majority make the nucleus unknown', () => {
    const samples = nucleusTypeSamples({
      ...input,
      instances: Uint32Array.from([1, 1, 1, 0]),
      types: Uint32Array.from([2, 9, 9, 0]),
    });
    expect(samples.labels).toEqual([]);
  });

  it('never counts background type values as votes', () => {
    const samples = nucleusTypeSamples({
      ...input,
      instances: Uint32Array.from([1, 1, 1, 0]),
      types: Uint32Array.from([0, 0, 2, 0]),
    });
    expect(samples.labels).toEqual([0]);
  });
});

describe('npPixelSamples', () => {
  it('takes every stride-th pixel in both directions with its nucleus label', () => {
    const npLogits = Float32Array.from([0, 1, 2, 3, 10, 11, 12, 13]);
    const instances = Uint32Array.from([0, 0, 0, 4]);
    const samples = npPixelSamples(npLogits, instances, {
      widthPx: 2,
      heightPx: 2,
      stridePx: 1,
    });
    expect(Array.from(samples.labels)).toEqual([0, 0, 0, 1]);
    expect(Array.from(samples.logits.subarray(6, 8))).toEqual([3, 13]);
  });
});
