import { describe, expect, it } from 'vitest';
import {
  VERDICT_PRESENTATION,
  VERDICT_REASON_CODES,
  VERDICT_REASON_TEXT,
  worstVerdict,
} from '../../../src-shared/verdict';

describe('worstVerdict', () => {
  it('lets out-of-domain win over review and reliable', () => {
    expect(worstVerdict(['reliable', 'out-of-domain', 'review'])).toBe('out-of-domain');
  });

  it('is reliable for no verdicts at all', () => {
    expect(worstVerdict([])).toBe('reliable');
  });
});

describe('VERDICT_PRESENTATION', () => {
  it('never shows out-of-domain with a tick or the reliable colour', () => {
    const ood = VERDICT_PRESENTATION['out-of-domain'];
    expect(ood.icon).not.toBe('check-circle');
    expect(ood.colorHex).not.toBe(VERDICT_PRESENTATION.reliable.colorHex);
  });
});

describe('VERDICT_REASON_TEXT', () => {
  it('has a sentence for every reason code', () => {
    for (const code of VERDICT_REASON_CODES)
      expect(VERDICT_REASON_TEXT[code]).toMatch(/\.|\)$/);
  });
});
