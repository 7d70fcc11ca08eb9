import { describe, expect, it } from 'vitest';
import { VERDICT_REASON_TEXT } from '../../../src-shared/verdict';
import {
  describeReason,
  describeRegionReasons,
} from '../../../src-main/analysis/analysis-summary';

describe('describeReason', () => {
  it('gives the measure and its limit with the same three decimals', () => {
    const text = describeReason({
      code: 'ood-regions',
      verdict: 'out-of-domain',
      value: 1,
      threshold: 0.1,
    });

    expect(text).toBe(
      `${VERDICT_REASON_TEXT['ood-regions']} Measured 1.000, limit 0.100.`,
    );
  });

  it('gives the reason alone when nothing was measured', () => {
    const text = describeReason({
      code: 'missing-mpp',
      verdict: 'out-of-domain',
      value: null,
      threshold: null,
    });

    expect(text).toBe(VERDICT_REASON_TEXT['missing-mpp']);
  });
});

describe('describeRegionReasons', () => {
  const ood = (value: number) => ({
    code: 'ood-distance' as const,
    verdict: 'out-of-domain' as const,
    value,
    threshold: 12,
  });
  const entropy = {
    code: 'np-entropy-high' as const,
    verdict: 'review' as const,
    value: 0.5,
    threshold: 0.4,
  };

  it('counts the regions giving each reason and keeps its largest measure', () => {
    const lines = describeRegionReasons([[ood(20)], [ood(28), entropy], []]);

    expect(lines).toEqual([
      `2 of 3 regions: ${VERDICT_REASON_TEXT['ood-distance']} Largest 28.000, limit 12.000.`,
      `1 of 3 regions: ${VERDICT_REASON_TEXT['np-entropy-high']} Largest 0.500, limit 0.400.`,
    ]);
  });

  it('gives no line when every region is Reliable', () => {
    expect(describeRegionReasons([[], []])).toEqual([]);
  });
});
