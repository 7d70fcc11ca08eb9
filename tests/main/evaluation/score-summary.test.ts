import { describe, expect, it } from 'vitest';
import type { ImageFigures } from '../../../src-main/evaluation/image-scores';
import { summariseScores } from '../../../src-main/evaluation/score-summary';

function image(
  pq: number,
  detection: { matched: number; t: number; p: number },
): ImageFigures {
  const { matched, t, p } = detection;
  return {
    truthCount: t,
    predictedCount: p,
    segmentation: {
      pq,
      dq: pq,
      sq: 1,
      aji: pq / 2,
      truePositives: 0,
      falsePositives: 0,
      falseNegatives: 0,
    },
    detection: {
      matched,
      truthCount: t,
      predictedCount: p,
      precision: matched / p,
      recall: matched / t,
      f1: (2 * matched) / (t + p),
    },
    classes: null,
  };
}

describe('summariseScores', () => {
  it('averages PQ and AJI per image and pools detection over nuclei when images differ in size', () => {
    // Image 1: PQ 0.8, 10 true, 10 predicted, 9 matched (F1 0.9).
    // Image 2: PQ 0.2, 90 true, 30 predicted, 30 matched (F1 0.5).
    const summary = summariseScores([
      image(0.8, { matched: 9, t: 10, p: 10 }),
      image(0.2, { matched: 30, t: 90, p: 30 }),
    ]);

    // Means per image: PQ 0.5, AJI 0.25, F1 0.7.
    expect(summary.segmentation?.pq).toBeCloseTo(0.5, 12);
    expect(summary.segmentation?.aji).toBeCloseTo(0.25, 12);
    expect(summary.meanDetection.f1).toBeCloseTo(0.7, 12);
    // Pooled: 2 * 39 / (100 + 40) = 78 / 140.
    expect(summary.pooledDetection.f1).toBeCloseTo(78 / 140, 12);
    expect(summary.truthCount).toBe(100);
  });

  it('reports no segmentation means when every image has point labels', () => {
    const points = { ...image(0, { matched: 1, t: 1, p: 1 }), segmentation: null };

    expect(summariseScores([points]).segmentation).toBeNull();
  });
});
