import { describe, expect, it } from 'vitest';
import { analysedRegionOf } from '../../../src-main/store/analysis-region';
import type { AnalysisRecord } from '../../../src-main/store/store-types';

const SLIDE = { widthPx: 2000, heightPx: 1000 };

function analysisWith(parameters: Record<string, unknown>): AnalysisRecord {
  return { parameters } as unknown as AnalysisRecord;
}

describe('analysedRegionOf', () => {
  it("reads an analysis that recorded the slide's own rectangle as whole-slide", () => {
    const whole = analysisWith({ regionBase: { x: 0, y: 0, width: 2000, height: 1000 } });
    expect(analysedRegionOf(whole, SLIDE)).toBeNull();
  });

  it('reads an analysis that recorded no region as whole-slide', () => {
    expect(analysedRegionOf(analysisWith({}), SLIDE)).toBeNull();
  });

  it('returns the region of an analysis that covered part of the slide', () => {
    const regionBase = { x: 0, y: 0, width: 2000, height: 999 };
    expect(analysedRegionOf(analysisWith({ regionBase }), SLIDE)).toEqual(regionBase);
  });
});
