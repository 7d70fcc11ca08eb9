import { describe, expect, it } from 'vitest';
import { auroc, fprAtTpr } from '../../../src-main/uncertainty/ood-metrics';
import { reference } from './reference-fixture';

describe('auroc', () => {
  it('matches the Mann-Whitney U from scipy, ties included', () => {
    expect(auroc(reference.ood.inDomain, reference.ood.ood)).toBeCloseTo(
      reference.ood.auroc,
      12,
    );
  });

  it('is 1 when every OOD score is above every in-domain score', () => {
    expect(auroc([1, 2], [3, 4])).toBe(1);
  });
});

describe('fprAtTpr', () => {
  it('matches numpy at 95 % TPR', () => {
    expect(fprAtTpr(reference.ood.inDomain, reference.ood.ood)).toBeCloseTo(
      reference.ood.fprAt95,
      12,
    );
  });
});
