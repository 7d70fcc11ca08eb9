/**
 * The per-nucleus type distribution, the conformal scores and the quantile as the
 * app computes them, checked against the values the bundle tools compute
 * (tests/fixtures/uncertainty/make_nucleus_reference.py): the calibration written
 * into a bundle is only valid if both sides form the same quantity.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { measureInstances } from '../../../src-main/nuclei/instance-measures';
import {
  conformalQuantile,
  nonconformityScore,
} from '../../../src-main/uncertainty/conformal';
import { nucleusTypeSamples } from '../../../src-main/uncertainty/evaluation/label-samples';
import {
  fitNucleusTemperature,
  typedNucleusPixels,
} from '../../../src-main/uncertainty/evaluation/nucleus-pixels';

interface NucleusReference {
  widthPx: number;
  heightPx: number;
  channels: number;
  temperature: number;
  unmappedValue: number;
  ntLogits: number[];
  instances: number[];
  typeValues: number[];
  nucleusIds: number[];
  trueChannels: number[];
  probabilities: number[][];
  lac: number[];
  aps: number[];
  alphas: number[];
  lacQuantiles: number[];
  apsQuantiles: number[];
  fittedTemperature: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const reference = JSON.parse(
  readFileSync(
    path.join(here, '..', '..', 'fixtures', 'uncertainty', 'nucleus_reference.json'),
    'utf8',
  ),
) as NucleusReference;

/** Channels 1..4 are the type values themselves; the unmapped value has no channel. */
const identityMapping = new Map([1, 2, 3, 4].map((c) => [c, c]));

function appDistributions(): Map<number, number[]> {
  const planePx = reference.widthPx * reference.heightPx;
  const count = Math.max(...reference.instances);
  const measures = measureInstances({
    labels: Int32Array.from(reference.instances),
    count,
    maps: {
      widthPx: reference.widthPx,
      heightPx: reference.heightPx,
      np: new Float32Array(2 * planePx),
      hv: new Float32Array(2 * planePx),
      nt: Float32Array.from(reference.ntLogits),
      ntChannels: reference.channels,
    },
    probability: new Float32Array(planePx),
    npEntropy: new Float32Array(planePx),
    ntTemperature: reference.temperature,
  });
  const byId = new Map<number, number[]>();
  for (let id = 1; id <= count; id += 1) {
    const offset = id * measures.ntChannels;
    const sums = measures.sumClassProbability.subarray(
      offset + 1,
      offset + measures.ntChannels,
    );
    byId.set(
      id,
      Array.from(sums, (s) => s / measures.areaPx[id]!),
    );
  }
  return byId;
}

describe('per-nucleus type distribution', () => {
  it('is what the bundle tools compute, as the app forms it for a nucleus', () => {
    const byId = appDistributions();
    reference.nucleusIds.forEach((id, row) => {
      const app = byId.get(id)!;
      reference.probabilities[row]!.forEach((p, c) => expect(app[c]).toBeCloseTo(p, 6));
    });
  });

  it('is what the bundle tools compute, as the evaluation forms it on true nuclei', () => {
    const samples = nucleusTypeSamples({
      ntLogits: Float32Array.from(reference.ntLogits),
      ntChannels: reference.channels,
      instances: Uint32Array.from(reference.instances),
      types: Uint32Array.from(reference.typeValues),
      mapping: identityMapping,
      temperature: reference.temperature,
    });
    expect(samples.labels).toEqual(reference.trueChannels.map((c) => c - 1));
    samples.probabilities.forEach((row, i) =>
      row.forEach((p, c) => expect(p).toBeCloseTo(reference.probabilities[i]![c]!, 6)),
    );
  });
});

describe('per-nucleus temperature', () => {
  it('is the one the bundle tools fit on the same nuclei', () => {
    const pixels = typedNucleusPixels({
      ntLogits: Float32Array.from(reference.ntLogits),
      ntChannels: reference.channels,
      instances: Uint32Array.from(reference.instances),
      types: Uint32Array.from(reference.typeValues),
      mapping: identityMapping,
    });
    const ratio = fitNucleusTemperature(pixels) / reference.fittedTemperature;
    expect(ratio).toBeCloseTo(1, 4);
  });
});

describe('conformal scores and quantile', () => {
  it('score each nucleus as the bundle tools do', () => {
    reference.probabilities.forEach((row, i) => {
      const label = reference.trueChannels[i]! - 1;
      expect(nonconformityScore(row, label, 'lac')).toBeCloseTo(reference.lac[i]!, 12);
      expect(nonconformityScore(row, label, 'aps')).toBeCloseTo(reference.aps[i]!, 12);
    });
  });

  it('pick the same quantile of the sorted scores for every alpha', () => {
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    reference.alphas.forEach((alpha, i) => {
      expect(conformalQuantile(sorted(reference.lac), alpha)).toBe(
        reference.lacQuantiles[i],
      );
      expect(conformalQuantile(sorted(reference.aps), alpha)).toBe(
        reference.apsQuantiles[i],
      );
    });
  });
});
