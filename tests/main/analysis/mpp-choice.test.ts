import { describe, expect, it } from 'vitest';
import { chooseMpp } from '../../../src-main/analysis/analysis-plan';
import type { Mpp, SlideInfo } from '../../../src-shared/slide-types';

function slide(mpp: Mpp | null): SlideInfo {
  return {
    format: 'aperio-svs',
    vendor: 'aperio',
    reader: 'openslide',
    widthPx: 2000,
    heightPx: 1000,
    levels: [
      {
        index: 0,
        widthPx: 2000,
        heightPx: 1000,
        downsample: 1,
        tileWidthPx: 240,
        tileHeightPx: 240,
      },
    ],
    mpp,
    objectivePower: 20,
    associatedImages: [],
    hasIccProfile: false,
  };
}

const RECORDED: Mpp = { x: 0.499, y: 0.499, source: 'openslide-property' };

describe('chooseMpp', () => {
  it("uses the slide's own pixel size when the user gives none", () => {
    expect(chooseMpp(slide(RECORDED), undefined)).toBe(RECORDED);
  });

  it('refuses a slide that records none when the user gives none', () => {
    expect(() => chooseMpp(slide(null), undefined)).toThrow(
      expect.objectContaining({ code: 'SLIDE_MISSING_MPP' }),
    );
  });

  it("takes the user's value for a slide that records none", () => {
    expect(chooseMpp(slide(null), 0.25)).toEqual({ x: 0.25, y: 0.25, source: 'user' });
  });

  it("accepts a user's value within 1 % of the recorded one", () => {
    expect(chooseMpp(slide(RECORDED), 0.5)).toEqual({ x: 0.5, y: 0.5, source: 'user' });
  });

  it("refuses a user's value that contradicts the recorded one, naming both", () => {
    const choose = () => chooseMpp(slide(RECORDED), 0.25);
    expect(choose).toThrow(/records 0\.4990 µm\/px \(openslide-property\), not 0\.25/);
    expect(choose).toThrow(/--override-mpp/);
  });

  it('lets the user replace a recorded value when the override is allowed', () => {
    expect(chooseMpp(slide(RECORDED), 0.25, true)).toEqual({
      x: 0.25,
      y: 0.25,
      source: 'user',
    });
  });
});
