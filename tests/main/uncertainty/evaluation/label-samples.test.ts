import { describe, expect, it } from 'vitest';
import {
  npPixelSamples,
  nucleusTypeSamples,
} from '../../../../src-main/uncertainty/evaluation/label-samples';

describe('nucleusTypeSamples', () => {
  // Two pixels of nucleus 1 (source type 2) and one of nucleus 2 (source type 9, unmapped).
  const instances = Uint32Array.from([1, 1, 2, 0]);
  const types = Uint32Array.from([2, 2, 9, 0]);
  // Three nt channels (background, class 1, class 2), channel-major over 4 pixels.
  const ntLogits = Float32Array.from([
    0,
    0,
    0,
    0,
    Math.log(3),
    Math.log(3),
    0,
    0,
    0,
    0,
    0,
    0,
  ]);

  it('averages the type softmax over the nucleus pixels without background, renormalised', () => {
    const samples = nucleusTypeSamples({
      ntLogits,
      ntChannels: 3,
      instances,
      types,
      mapping: new Map([[2, 1]]),
      temperature: 1,
    });
    expect(samples.labels).toEqual([0]);
    expect(samples.probabilities[0]![0]).toBeCloseTo(0.75, 6);
    expect(samples.probabilities[0]![1]).toBeCloseTo(0.25, 6);
  });

  it('skips nuclei whose type the mapping cannot place', () => {
    const samples = nucleusTypeSamples({
      ntLogits,
      ntChannels: 3,
      instances,
      types,
      mapping: new Map(),
      temperature: 1,
    });
    expect(samples.labels).toEqual([]);
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
