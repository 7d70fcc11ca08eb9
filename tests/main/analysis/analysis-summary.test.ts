import { describe, expect, it } from 'vitest';
import { VERDICT_REASON_TEXT } from '../../../src-shared/verdict';
import { describeReason } from '../../../src-main/analysis/analysis-summary';

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
