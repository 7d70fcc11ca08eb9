import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { computeOverlap } from '../../../src-main/evaluation/instance-overlap';
import {
  aggregatedJaccard,
  detectionScores,
  greedyCentroidPairs,
  panopticQuality,
  segmentationScores,
} from '../../../src-main/evaluation/nuclei-metrics';
import { fromRuns, paint } from './label-maps';

// Two true 10x10 squares A (id 1) and B (id 2) in a 30x10 map.
// - prediction 1 covers columns 0-7 of A: intersection 80, union 100, IoU 0.8;
// - predictions 2 and 3 split B into two 5x10 halves: IoU 50/100 = 0.5 each, which
//   is not above 0.5, so B is unmatched;
// - prediction 4 is a 4x4 false positive away from both.
const TRUTH = paint(30, 10, [
  { label: 1, x0: 0, x1: 9, y0: 0, y1: 9 },
  { label: 2, x0: 12, x1: 21, y0: 0, y1: 9 },
]);
const PREDICTED = paint(30, 10, [
  { label: 1, x0: 0, x1: 7, y0: 0, y1: 9 },
  { label: 2, x0: 12, x1: 16, y0: 0, y1: 9 },
  { label: 3, x0: 17, x1: 21, y0: 0, y1: 9 },
  { label: 4, x0: 25, x1: 28, y0: 0, y1: 3 },
]);

describe('panopticQuality', () => {
  it('counts only IoU > 0.5 as a match when a nucleus is split into halves', () => {
    // TP 1 (A), FN 1 (B), FP 3 (predictions 2, 3, 4).
    // DQ = 1 / (1 + 3/2 + 1/2) = 1/3; SQ = 0.8; PQ = 0.8 / 3.
    const scores = panopticQuality(computeOverlap(TRUTH, PREDICTED));

    expect(scores).toMatchObject({
      truePositives: 1,
      falsePositives: 3,
      falseNegatives: 1,
    });
    expect(scores.dq).toBeCloseTo(1 / 3, 12);
    expect(scores.sq).toBeCloseTo(0.8, 12);
    expect(scores.pq).toBeCloseTo(0.8 / 3, 12);
  });

  it('scores 1 when the prediction equals the truth', () => {
    const scores = panopticQuality(computeOverlap(TRUTH, TRUTH));

    expect(scores).toMatchObject({ pq: 1, dq: 1, sq: 1, truePositives: 2 });
  });
});

describe('aggregatedJaccard', () => {
  it('pairs each true nucleus with its best prediction and adds unpaired areas when one is split', () => {
    // A pairs with 1: I 80, U 100. B ties between 2 and 3 (IoU 0.5 each); the lower
    // id, 2, wins as in HoVer-Net's argmax: I 50, U 100. Unpaired 3 (50 px) and
    // 4 (16 px) add to the union. AJI = (80 + 50) / (100 + 100 + 50 + 16) = 130/266.
    const aji = aggregatedJaccard(computeOverlap(TRUTH, PREDICTED));

    expect(aji).toBeCloseTo(130 / 266, 12);
  });

  it('is 0 when no prediction touches the truth', () => {
    const empty = paint(30, 10, []);

    expect(aggregatedJaccard(computeOverlap(TRUTH, empty))).toBe(0);
  });
});

describe('detectionScores', () => {
  it('matches centroids one-to-one within the radius when two predictions sit on one nucleus', () => {
    // Centroids (pixel centres): A (5, 5), B (17, 5); predictions 1 (4, 5),
    // 2 (14.5, 5), 3 (19.5, 5), 4 (27, 2). Within 6 px: A-1 at 1, B-2 and B-3 at 2.5;
    // B takes one of them. Matched 2 of 2 true and 4 predicted:
    // P = 2/4, R = 2/2, F1 = 2 * 2 / (2 + 4) = 2/3.
    const scores = detectionScores(TRUTH, PREDICTED, 6);

    expect(scores).toMatchObject({ matched: 2, truthCount: 2, predictedCount: 4 });
    expect(scores.precision).toBeCloseTo(0.5, 12);
    expect(scores.recall).toBeCloseTo(1, 12);
    expect(scores.f1).toBeCloseTo(2 / 3, 12);
  });

  it('drops pairs farther apart than the radius when the radius is small', () => {
    // Radius 2: only A-1 (1 px) is close enough. F1 = 2 * 1 / (2 + 4) = 1/3.
    const scores = detectionScores(TRUTH, PREDICTED, 2);

    expect(scores.matched).toBe(1);
    expect(scores.f1).toBeCloseTo(1 / 3, 12);
  });
});

describe('greedyCentroidPairs', () => {
  it('takes the closest pair first, even where another pairing matches more, when two true points compete', () => {
    const truth = [
      { x: 0, y: 0 },
      { x: 3, y: 0 },
    ];
    const predicted = [
      { x: 2, y: 0 },
      { x: 6, y: 0 },
    ];

    // Within 5 px: t1-p0 at 1, t0-p0 at 2, t1-p1 at 3 (t0-p1 at 6 is too far).
    // Greedy takes t1-p0; both others reuse a point. An optimal assignment
    // (t0-p0, t1-p1) would match two: greedy can undercount in crowded regions.
    expect(greedyCentroidPairs(truth, predicted, 5)).toEqual([[1, 0]]);
  });
});

interface ReferenceCase {
  true: [number, number][];
  pred: [number, number][];
  panoptic: { pq: number; dq: number; sq: number; tp: number; fp: number; fn: number };
  aji: number;
  detection: { precision: number; recall: number; f1: number; matched: number };
}

const here = path.dirname(fileURLToPath(import.meta.url));
const reference = JSON.parse(
  readFileSync(
    path.join(here, '..', '..', 'fixtures', 'evaluation', 'nuclei-reference.json'),
    'utf8',
  ),
) as { sizePx: number; radiusPx: number; cases: ReferenceCase[] };

describe('segmentationScores', () => {
  it.each(reference.cases.map((c, i) => [i, c] as const))(
    'agrees with the independent numpy computation to 1e-9 when given reference case %i',
    (_, c) => {
      const truth = fromRuns(reference.sizePx, c.true);
      const predicted = fromRuns(reference.sizePx, c.pred);

      const scores = segmentationScores(truth, predicted);
      const detection = detectionScores(truth, predicted, reference.radiusPx);

      expect(scores.truePositives).toBe(c.panoptic.tp);
      expect(scores.falsePositives).toBe(c.panoptic.fp);
      expect(scores.falseNegatives).toBe(c.panoptic.fn);
      expect(Math.abs(scores.pq - c.panoptic.pq)).toBeLessThan(1e-9);
      expect(Math.abs(scores.dq - c.panoptic.dq)).toBeLessThan(1e-9);
      expect(Math.abs(scores.sq - c.panoptic.sq)).toBeLessThan(1e-9);
      expect(Math.abs(scores.aji - c.aji)).toBeLessThan(1e-9);
      expect(detection.matched).toBe(c.detection.matched);
      expect(Math.abs(detection.f1 - c.detection.f1)).toBeLessThan(1e-9);
      expect(Math.abs(detection.precision - c.detection.precision)).toBeLessThan(1e-9);
      expect(Math.abs(detection.recall - c.detection.recall)).toBeLessThan(1e-9);
    },
  );
});
