import { describe, expect, it } from 'vitest';
import type { SlideSummary } from '../../../src-shared/ipc-schemas';
import {
  fileNameOf,
  formatCount,
  formatEta,
  sortByTriagePriority,
} from '../../../src-renderer/library/library-format';

function slide(
  slideId: string,
  addedAt: string,
  latest: Partial<NonNullable<SlideSummary['latestAnalysis']>> | null,
): SlideSummary {
  return {
    slideId,
    displayName: `${slideId}.svs`,
    format: 'aperio-svs',
    widthPx: 100,
    heightPx: 100,
    mpp: null,
    addedAt,
    isFileAvailable: true,
    latestAnalysis: latest
      ? {
          analysisId: `a${slideId}`,
          status: 'done',
          verdict: null,
          bundleId: 'b',
          bundleVersion: '1.0.0',
          createdAt: addedAt,
          ...latest,
        }
      : null,
  };
}

describe('sortByTriagePriority', () => {
  it('puts out-of-domain before review before reliable before unanalysed slides', () => {
    const sorted = sortByTriagePriority([
      slide('fresh', '2026-01-01', null),
      slide('fine', '2026-01-01', { verdict: 'reliable' }),
      slide('odd', '2026-01-01', { verdict: 'out-of-domain' }),
      slide('check', '2026-01-01', { verdict: 'review' }),
    ]);
    expect(sorted.map((entry) => entry.slideId)).toEqual([
      'odd',
      'check',
      'fine',
      'fresh',
    ]);
  });

  it('keeps the oldest first within a group', () => {
    const sorted = sortByTriagePriority([
      slide('newer', '2026-02-01', { verdict: 'review' }),
      slide('older', '2026-01-01', { verdict: 'review' }),
    ]);
    expect(sorted.map((entry) => entry.slideId)).toEqual(['older', 'newer']);
  });
});

describe('library words', () => {
  it('says the estimate is pending while the rate is unknown', () => {
    expect(formatEta(null)).toBe('estimating time left…');
  });

  it('gives minutes for a few minutes left', () => {
    expect(formatEta(185)).toBe('about 3 min left');
  });

  it('gives hours and minutes for long runs', () => {
    expect(formatEta(2 * 3600 + 15 * 60)).toBe('about 2 h 15 min left');
  });

  it('groups thousands with thin spaces', () => {
    expect(formatCount(1234567)).toBe('1\u2009234\u2009567');
  });

  it('shows only the file name of a Windows path', () => {
    expect(fileNameOf('C:\\slides\\case.svs')).toBe('case.svs');
  });
});
