/**
 * Loads the numpy/scipy reference values written by
 * tests/fixtures/uncertainty/make_reference.py.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface Reference {
  entropy: {
    vectors: number[][];
    normalised: number[];
    probabilities: number[];
    bits: number[];
  };
  mahalanobis: {
    reference: number[][];
    queries: number[][];
    shrinkage: number;
    mean: number[];
    precision: number[];
    distances: number[];
  };
  temperature: {
    logits: number[];
    labels: number[];
    classCount: number;
    temperature: number;
    nllAtOne: number;
    nllAtOptimum: number;
  };
  calibration: { ece15: number; nll: number; brier: number };
  conformal: {
    calProbabilities: number[];
    calLabels: number[];
    testProbabilities: number[];
    testLabels: number[];
    classCount: number;
    alphas: number[];
    lacScoresHead: number[];
    apsScoresHead: number[];
    lacQuantiles: number[];
    apsQuantiles: number[];
    lacCoverage: number;
    lacMeanSetSize: number;
  };
  ood: { inDomain: number[]; ood: number[]; auroc: number; fprAt95: number };
}

export const reference = JSON.parse(
  readFileSync(
    path.join(here, '..', '..', 'fixtures', 'uncertainty', 'reference.json'),
    'utf8',
  ),
) as Reference;

/** Splits a row-major flat array into rows of `width`. */
export function rows(flat: readonly number[], width: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < flat.length; i += width) out.push(flat.slice(i, i + width));
  return out;
}
