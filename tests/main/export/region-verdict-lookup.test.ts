import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../../src-shared/verdict';
import { regionVerdictLookup } from '../../../src-main/export/region-verdict-lookup';
import type { RegionVerdictRecord } from '../../../src-main/store/triage-region-reads';

function cell(
  x: number,
  y: number,
  width: number,
  height: number,
  verdict: Verdict,
): RegionVerdictRecord {
  return {
    col: x / 100,
    row: y / 100,
    cellBaseRect: { x, y, width, height },
    verdict,
    reasons: [],
    measures: {},
  };
}

// Two rows of 100 px cells starting at (0, 0); the right column is clipped to 40 px
// and the cell at (100, 100) is missing (no tissue there).
const REGIONS = [
  cell(0, 0, 100, 100, 'reliable'),
  cell(100, 0, 100, 100, 'review'),
  cell(200, 0, 40, 100, 'out-of-domain'),
  cell(0, 100, 100, 60, 'review'),
  cell(200, 100, 40, 60, 'reliable'),
];

describe('regionVerdictLookup', () => {
  const verdictAt = regionVerdictLookup(REGIONS);

  it('finds the cell holding a point, a shared edge belonging to the cell starting there', () => {
    expect(verdictAt(50, 50)).toBe('reliable');
    expect(verdictAt(100, 0)).toBe('review');
    expect(verdictAt(239.9, 99.9)).toBe('out-of-domain');
    expect(verdictAt(0, 100)).toBe('review');
  });

  it('says null for a point in a missing cell', () => {
    expect(verdictAt(150, 120)).toBeNull();
  });

  it("gives a point past the grid's outer edge the nearest edge cell's verdict", () => {
    expect(verdictAt(240, 50)).toBe('out-of-domain');
    expect(verdictAt(300, -20)).toBe('out-of-domain');
    expect(verdictAt(50, 160)).toBe('review');
    expect(verdictAt(-1, 10)).toBe('reliable');
    expect(verdictAt(260, 140)).toBe('reliable');
  });

  it('says null for every point when there was no triage', () => {
    expect(regionVerdictLookup([])(10, 10)).toBeNull();
  });
});
