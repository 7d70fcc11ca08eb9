/**
 * The figures of the uncertainty evaluation: calibration before and after
 * temperature scaling, conformal coverage and set size, OOD detection.
 */
import type { BundleCalibration } from '../../../src-shared/bundle-manifest';
import {
  brierScore,
  expectedCalibrationError,
  negativeLogLikelihood,
} from '../calibration-metrics';
import {
  conformalQuantile,
  evaluateSets,
  predictionSet,
  type ConformalScore,
} from '../conformal';
import { softmaxRow } from '../temperature';
import type { NucleusSamples, PixelSamples } from './label-samples';

/** ECE (15 bins), NLL (nats) and Brier score of one set of probabilities. */
export interface CalibrationScores {
  ece: number;
  nll: number;
  brier: number;
}

/** Calibration of one head before (T = 1) and after (bundle T) scaling. */
export interface CalibrationRow {
  head: 'np' | 'nt';
  data: string;
  samples: number;
  temperature: number;
  before: CalibrationScores;
  after: CalibrationScores;
}

function scores(
  probabilities: Float64Array,
  labels: ArrayLike<number>,
  classCount: number,
) {
  const data = { probabilities, labels: Array.from(labels), classCount };
  return {
    ece: expectedCalibrationError(data, 15),
    nll: negativeLogLikelihood(data),
    brier: brierScore(data),
  };
}

function softmaxAll(logits: Float32Array, classCount: number, temperature: number) {
  const out = new Float64Array(logits.length);
  const row = new Float64Array(classCount);
  for (let i = 0; i < logits.length; i += classCount) {
    softmaxRow(logits.subarray(i, i + classCount), temperature, row);
    out.set(row, i);
  }
  return out;
}

/** Pixel-level calibration of the nucleus map. */
export function npCalibrationRow(
  samples: PixelSamples,
  temperature: number,
  data: string,
): CalibrationRow {
  return {
    head: 'np',
    data,
    samples: samples.labels.length,
    temperature,
    before: scores(softmaxAll(samples.logits, 2, 1), samples.labels, 2),
    after: scores(softmaxAll(samples.logits, 2, temperature), samples.labels, 2),
  };
}

/** Nucleus-level calibration of the type head from samples formed at T = 1 and at T. */
export function ntCalibrationRow(
  samples: { before: NucleusSamples; after: NucleusSamples },
  temperature: number,
  data: string,
): CalibrationRow {
  const flat = (s: NucleusSamples) => Float64Array.from(s.probabilities.flat());
  const classCount = samples.after.probabilities[0]?.length ?? 0;
  return {
    head: 'nt',
    data,
    samples: samples.after.labels.length,
    temperature,
    before: scores(flat(samples.before), samples.before.labels, classCount),
    after: scores(flat(samples.after), samples.after.labels, classCount),
  };
}

/** Coverage and set size of one conformal configuration, overall and per true class. */
export interface ConformalRow {
  score: ConformalScore;
  isClassConditional: boolean;
  alpha: number;
  coverage: number;
  meanSetSize: number;
  perClass: {
    classIndex: number;
    samples: number;
    coverage: number;
    meanSetSize: number;
  }[];
}

/** Options of {@link conformalRow}. */
export interface ConformalRowInput {
  samples: NucleusSamples;
  scores: NonNullable<BundleCalibration['conformal']['nt']>;
  score: ConformalScore;
  alpha: number;
  isClassConditional: boolean;
}

/** Evaluates sets built from the bundle's calibration scores on held-out nuclei. */
export function conformalRow(input: ConformalRowInput): ConformalRow {
  const { samples, scores: bundleScores, score, alpha } = input;
  const classCount = samples.probabilities[0]?.length ?? 0;
  const quantile = input.isClassConditional
    ? Array.from({ length: classCount }, (_, position) => {
        const perClass = bundleScores.perClass[String(position + 1)];
        return perClass ? conformalQuantile(perClass[score], alpha) : Infinity;
      })
    : conformalQuantile(bundleScores[score], alpha);
  const sets = samples.probabilities.map((p) => predictionSet(p, { score, quantile }));
  const overall = evaluateSets(sets, samples.labels);

  const perClass = Array.from({ length: classCount }, (_, position) => {
    const members = samples.labels.flatMap((label, i) => (label === position ? [i] : []));
    const result = evaluateSets(
      members.map((i) => sets[i]!),
      members.map(() => position),
    );
    return { classIndex: position + 1, samples: members.length, ...result };
  }).filter((row) => row.samples > 0);
  return {
    score,
    isClassConditional: input.isClassConditional,
    alpha,
    ...overall,
    perClass,
  };
}
