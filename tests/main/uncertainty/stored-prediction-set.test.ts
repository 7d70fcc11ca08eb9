import { describe, expect, it } from 'vitest';
import { predictionSet } from '../../../src-main/uncertainty/conformal';
import { storedPredictionSet } from '../../../src-main/uncertainty/stored-prediction-set';

const CLASSES = [{ index: 1 }, { index: 2 }, { index: 3 }, { index: 4 }];
const LAC = { conformalScore: 'lac' as const, conformalQuantile: 0.8 };

describe('storedPredictionSet', () => {
  it('drops the background, renormalises and names classes by index, most probable first', () => {
    // Listed classes 0.1 / 0.5 / 0.3 / 0.1 after dropping 0.5 of background: LAC keeps
    // classes with 1 - p <= 0.8, i.e. p >= 0.2 (class 2 at 0.5, class 3 at 0.3).
    const stored = Float32Array.from([0.5, 0.05, 0.25, 0.15, 0.05]);
    expect(storedPredictionSet(stored, CLASSES, LAC)).toEqual([2, 3]);
  });

  it('gives the set the assessment gives for the same probabilities and settings', () => {
    const listed = [0.12, 0.08, 0.61, 0.19];
    const expected = predictionSet(listed, { score: 'aps', quantile: 0.9 }).map(
      (position) => CLASSES[position]!.index,
    );
    const settings = { conformalScore: 'aps' as const, conformalQuantile: 0.9 };
    expect(storedPredictionSet([0, ...listed], CLASSES, settings)).toEqual(expected);
  });

  it('forms no set without a triage, for class-conditional sets or untyped nuclei', () => {
    expect(storedPredictionSet([0.2, 0.8, 0, 0, 0], CLASSES, null)).toBeNull();
    const conditional = { conformalScore: 'lac' as const, conformalQuantile: null };
    expect(storedPredictionSet([0.2, 0.8, 0, 0, 0], CLASSES, conditional)).toBeNull();
    expect(storedPredictionSet([], CLASSES, LAC)).toBeNull();
  });
});
