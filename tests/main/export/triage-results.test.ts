import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportContext } from '../../../src-main/export/export-nuclei';
import { readExportTriage, reasonsWithin } from '../../../src-main/export/triage-results';
import type { ResultStore } from '../../../src-main/store/index';
import type { RegionVerdictRecord } from '../../../src-main/store/triage-region-reads';
import { makeStore } from '../store/store-fixtures';
import {
  OOD_REASON,
  REVIEW_REASON,
  saveTriage,
  seedFinishedAnalysis,
  seedTriagedAnalysis,
} from './triage-fixture';

let store: ResultStore;
let cleanup: () => void;

beforeEach(() => ({ store, cleanup } = makeStore()));
afterEach(() => cleanup());

function region(x: number, reasons: RegionVerdictRecord['reasons']): RegionVerdictRecord {
  return {
    col: x / 100,
    row: 0,
    cellBaseRect: { x, y: 0, width: 100, height: 100 },
    verdict: reasons.length > 0 ? reasons[0]!.verdict : 'reliable',
    reasons,
    measures: {},
  };
}

describe('reasonsWithin', () => {
  it('keeps the most severe reason per code when cells disagree', () => {
    const milder = { ...OOD_REASON, verdict: 'review' as const, value: 99 };
    const reasons = reasonsWithin({ x: 0, y: 0, width: 200, height: 100 }, [
      region(0, [milder, REVIEW_REASON]),
      region(100, [OOD_REASON]),
    ]);

    expect(reasons.map((r) => [r.code, r.verdict])).toEqual([
      ['ood-distance', 'out-of-domain'],
      ['nt-entropy-high', 'review'],
    ]);
    expect(reasons[0]!.text).toMatch(/Mahalanobis/);
  });

  it('ignores cells that only touch the rectangle edge', () => {
    const reasons = reasonsWithin({ x: 0, y: 0, width: 100, height: 100 }, [
      region(100, [OOD_REASON]),
    ]);
    expect(reasons).toEqual([]);
  });
});

describe('readExportTriage', () => {
  it('returns null when the analysis was never triaged', () => {
    const analysisId = seedFinishedAnalysis(store);
    expect(readExportTriage(exportContext(store, analysisId))).toBeNull();
  });

  it('gives each ROI the reasons of the grid cells it spans', () => {
    const analysisId = seedTriagedAnalysis(store);
    const triage = readExportTriage(exportContext(store, analysisId))!;

    expect(triage.triageVersion).toBe(1);
    expect(triage.rois.map((r) => r.rank)).toEqual([1, 2]);
    expect(triage.rois[0]!.reasons.map((r) => r.code)).toEqual([
      'ood-distance',
      'nt-entropy-high',
    ]);
    expect(triage.rois[1]!.reasons).toEqual([]);
  });

  it('reads the latest run when the analysis was triaged twice', () => {
    const analysisId = seedTriagedAnalysis(store);
    saveTriage(store, analysisId);
    const triage = readExportTriage(exportContext(store, analysisId))!;

    expect(triage.triageVersion).toBe(2);
    expect(triage.regions).toHaveLength(9);
  });
});
