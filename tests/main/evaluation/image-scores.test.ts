import { describe, expect, it } from 'vitest';
import { scoreImage } from '../../../src-main/evaluation/image-scores';
import { paint } from './label-maps';

// Three true 10x10 squares in a 40x10 map: A (id 1, class 1), B (id 2, class 2)
// and C (id 3, type unknown). The prediction finds all three exactly, but calls
// B class 1 and C class 3.
const TRUTH_MAP = paint(40, 10, [
  { label: 1, x0: 0, x1: 9, y0: 0, y1: 9 },
  { label: 2, x0: 12, x1: 21, y0: 0, y1: 9 },
  { label: 3, x0: 25, x1: 34, y0: 0, y1: 9 },
]);
const PREDICTED = { map: TRUTH_MAP, classOfLabel: [1, 1, 3] };
const OPTIONS = { radiusPx: 6, classIndices: [1, 2, 3] };
const TRUTH = {
  kind: 'instances' as const,
  map: TRUTH_MAP,
  classes: new Map<number, number | null>([
    [1, 1],
    [2, 2],
    [3, null],
  ]),
};

describe('scoreImage', () => {
  it('scores segmentation over all nuclei whatever their class when the outlines are exact', () => {
    const figures = scoreImage(TRUTH, PREDICTED, OPTIONS);

    expect(figures.segmentation).toMatchObject({ pq: 1, aji: 1, truePositives: 3 });
    expect(figures.detection.f1).toBe(1);
  });

  it('counts a wrongly typed nucleus against both classes when scoring per class', () => {
    const [first, second] = scoreImage(TRUTH, PREDICTED, OPTIONS).classes ?? [];

    // Class 1: truth {A}, predictions {A, B}: TP 1, FP 1, FN 0.
    // DQ = 1 / (1 + 1/2) = 2/3, SQ = 1, PQ = 2/3; F1 = 2 * 1 / (1 + 2) = 2/3.
    expect(first?.panoptic?.pq).toBeCloseTo(2 / 3, 12);
    expect(first?.detection.f1).toBeCloseTo(2 / 3, 12);
    // Class 2: truth {B}, no prediction: PQ 0, F1 0.
    expect(second).toMatchObject({ truthCount: 1, predictedCount: 0 });
    expect(second?.panoptic?.pq).toBe(0);
    expect(second?.detection.f1).toBe(0);
  });

  it('leaves out a prediction on a nucleus of unknown type when scoring its class', () => {
    const third = scoreImage(TRUTH, PREDICTED, OPTIONS).classes?.[2];

    // C's true class is unknown, so calling it class 3 is neither right nor wrong.
    expect(third).toMatchObject({
      classIndex: 3,
      truthCount: 0,
      predictedCount: 0,
      ignoredCount: 1,
      panoptic: null,
    });
  });

  it('gives no per-class figures when the labels carry no types', () => {
    const figures = scoreImage({ ...TRUTH, classes: null }, PREDICTED, OPTIONS);

    expect(figures.classes).toBeNull();
  });

  it('scores detection only when the truth is a list of points', () => {
    // Centroids of A, B, C are (5, 5), (17, 5), (30, 5); one point is 7 px from B.
    const truth = {
      kind: 'points' as const,
      points: [
        { x: 5, y: 6, classIndex: 1 },
        { x: 17, y: 12, classIndex: 2 },
      ],
      hasClasses: true,
    };

    const figures = scoreImage(truth, PREDICTED, OPTIONS);

    // Matched 1 of 2 points and 3 predictions: F1 = 2 / 5.
    expect(figures.segmentation).toBeNull();
    expect(figures.detection).toMatchObject({
      matched: 1,
      truthCount: 2,
      predictedCount: 3,
    });
    expect(figures.detection.f1).toBeCloseTo(0.4, 12);
    expect(figures.classes?.[0]?.panoptic).toBeNull();
    expect(figures.classes?.[0]?.detection.matched).toBe(1);
  });

  it('gives no segmentation figures when neither side has a nucleus', () => {
    const empty = paint(8, 8, []);

    const figures = scoreImage(
      { kind: 'instances', map: empty, classes: null },
      { map: empty, classOfLabel: [] },
      OPTIONS,
    );

    expect(figures.segmentation).toBeNull();
    expect(figures.detection.f1).toBe(0);
  });
});
