import { describe, expect, it } from 'vitest';
import { finaliseAnalysis } from '../../../src-main/uncertainty/finalise';
import {
  readSlideSummary,
  saveTileUncertainty,
} from '../../../src-main/uncertainty/triage-store';
import type { TriageContext } from '../../../src-main/uncertainty/triage-context';
import type { TileUncertainty } from '../../../src-main/uncertainty/types';
import { makeContext, makeDatabase, makeTile } from './triage-builders';

const NOW = '2024-02-01T10:00:00.000Z';

/** A 4 x 4 block of calm tissue tiles (1024 px = 256 um at 0.25 mpp: one grid cell). */
function calmBlock(offsetCol = 0): TileUncertainty[] {
  const tiles: TileUncertainty[] = [];
  for (let row = 0; row < 4; row += 1) {
    for (let col = 0; col < 4; col += 1) tiles.push(makeTile(offsetCol + col, row));
  }
  return tiles;
}

function finalise(tiles: TileUncertainty[], context: TriageContext = makeContext()) {
  const { db, analysisId } = makeDatabase();
  for (const tile of tiles) saveTileUncertainty(db, analysisId, tile);
  const summary = finaliseAnalysis(db, analysisId, {
    context,
    slideWidthPx: 4096,
    slideHeightPx: 4096,
    organProbabilities: null,
    organQuantile: null,
    nowIso: NOW,
  });
  return { db, analysisId, summary };
}

describe('finaliseAnalysis', () => {
  it('calls a calm in-domain slide reliable with no reasons', () => {
    const { summary } = finalise(calmBlock());
    expect(summary.verdict).toBe('reliable');
    expect(summary.reasons).toEqual([]);
    expect(summary.regionCounts).toEqual({ reliable: 1, review: 0, 'out-of-domain': 0 });
  });

  it('sums nuclei counts by type over all tiles', () => {
    const { summary } = finalise(calmBlock());
    expect(summary.nucleusCount).toBe(160);
    expect(summary.countsByClass).toEqual({ 1: 80, 3: 80 });
  });

  it('says "no organ head" when the bundle has none', () => {
    expect(finalise(calmBlock()).summary.organ).toEqual({
      hasOrganHead: false,
      text: 'no organ head',
    });
  });

  it('makes a region out-of-domain when most of its tiles are beyond the OOD threshold', () => {
    const tiles = [
      ...calmBlock(),
      ...calmBlock(4).map((t) => ({ ...t, oodDistance: 9, isOod: true })),
    ];
    const { db, summary } = finalise(tiles);
    const rows = db
      .prepare('SELECT verdict, reasons_json FROM triage_regions ORDER BY col')
      .all() as Array<{
      verdict: string;
      reasons_json: string;
    }>;
    expect(rows.map((r) => r.verdict)).toEqual(['reliable', 'out-of-domain']);
    expect(JSON.parse(rows[1]!.reasons_json)[0]).toMatchObject({
      code: 'ood-distance',
      value: 9,
      threshold: 2.5,
    });
    expect(summary.verdict).toBe('out-of-domain');
    expect(summary.reasons.map((r) => r.code)).toContain('ood-regions');
  });

  it('sends a region to review when its mean type entropy is above the threshold', () => {
    const tiles = calmBlock().map((t) => ({ ...t, ntEntropyMean: 0.7 }));
    const { summary } = finalise(tiles);
    expect(summary.verdict).toBe('review');
    expect(summary.reasons[0]).toMatchObject({ code: 'review-regions', value: 1 });
  });

  it('sends a region to review when conformal sets are large on average', () => {
    const tiles = calmBlock().map((t) => ({ ...t, setSizeSum: 30 }));
    expect(finalise(tiles).summary.regionCounts.review).toBe(1);
  });

  it('makes the slide out-of-domain with a missing-mpp reason when the slide has no mpp', () => {
    const { summary } = finalise(calmBlock(), makeContext({}, null));
    expect(summary.verdict).toBe('out-of-domain');
    expect(summary.reasons.map((r) => r.code)).toContain('missing-mpp');
  });

  it('makes the slide out-of-domain when too many tiles are blurred', () => {
    const tiles = calmBlock().map((t, i) =>
      i % 2 ? { ...t, flags: ['blur' as const] } : t,
    );
    const { summary } = finalise(tiles);
    expect(summary.reasons).toContainEqual(
      expect.objectContaining({
        code: 'quality-failures',
        verdict: 'out-of-domain',
        value: 0.5,
      }),
    );
  });

  it('makes a slide without any tissue out-of-domain', () => {
    const tiles = calmBlock().map((t) => ({
      ...t,
      tissueFraction: 0,
      flags: ['no-tissue' as const],
    }));
    const { summary } = finalise(tiles);
    expect(summary.reasons.map((r) => r.code)).toEqual(['no-tissue']);
  });

  it('stores the settings it used, profile version and temperatures included', () => {
    const { db } = finalise(calmBlock());
    const row = db
      .prepare('SELECT profile_version, settings_json FROM triage_runs')
      .get() as {
      profile_version: number;
      settings_json: string;
    };
    expect(row.profile_version).toBe(1);
    expect(JSON.parse(row.settings_json).temperatures).toEqual({
      np: 1.5,
      nt: 1.2,
      organ: null,
    });
  });

  it('adds a new triage version on re-triage and keeps the earlier one', () => {
    const { db, analysisId } = finalise(calmBlock());
    const again = finaliseAnalysis(db, analysisId, {
      context: makeContext({ version: 2, isColdStart: false }),
      slideWidthPx: 4096,
      slideHeightPx: 4096,
      organProbabilities: null,
      organQuantile: null,
      nowIso: NOW,
    });
    expect(again.triageVersion).toBe(2);
    expect(readSlideSummary(db, analysisId)?.settings.profileVersion).toBe(2);
    expect(db.prepare('SELECT COUNT(*) AS n FROM triage_runs').get()).toEqual({ n: 2 });
  });

  it('calls an analysis without assessed tiles out-of-domain with the reason no-tissue', () => {
    const { db, analysisId } = makeDatabase();
    const summary = finaliseAnalysis(db, analysisId, {
      context: makeContext(),
      slideWidthPx: 10,
      slideHeightPx: 10,
      organProbabilities: null,
      organQuantile: null,
      nowIso: NOW,
    });
    expect(summary.verdict).toBe('out-of-domain');
    expect(summary.reasons.map((r) => r.code)).toContain('no-tissue');
    expect(summary.nucleusCount).toBe(0);
    expect(summary.topRois).toEqual([]);
  });
});

describe('readSlideSummary', () => {
  it('returns null for an analysis that was never triaged', () => {
    const { db, analysisId } = makeDatabase();
    expect(readSlideSummary(db, analysisId)).toBeNull();
  });
});

describe('finaliseAnalysis with an organ head', () => {
  it('reports the most probable organ with its probability and conformal set', () => {
    const { db, analysisId } = makeDatabase();
    for (const tile of calmBlock()) saveTileUncertainty(db, analysisId, tile);
    const context = { ...makeContext(), organs: ['Breast', 'Colon', 'Lung'] };
    const summary = finaliseAnalysis(db, analysisId, {
      context,
      slideWidthPx: 4096,
      slideHeightPx: 4096,
      organProbabilities: [0.2, 0.7, 0.1],
      organQuantile: 0.85,
    });
    expect(summary.organ).toEqual({
      hasOrganHead: true,
      organ: 'Colon',
      probability: 0.7,
      predictionSet: ['Colon', 'Breast'],
    });
  });
});
