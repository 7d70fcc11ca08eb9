import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../../src-main/analysis/analysis-report';
import type { AnalysisOutcome } from '../../../src-main/analysis/analysis-types';

function outcome(overrides: Partial<AnalysisOutcome>): AnalysisOutcome {
  return {
    end: 'done',
    analysisId: 3,
    bundle: {
      id: 'cellvit-optimus-default',
      version: '9.9.9',
      sha256: 'ab12'.repeat(16),
    },
    tilesTotal: 9,
    tilesRun: 9,
    nucleusCount: 120,
    countsByType: { inflammatory: 20, 'epithelial-or-neoplastic': 100 },
    mpp: { x: 0.499, y: 0.499, source: 'openslide-property' },
    region: null,
    durationMs: 2500,
    stageTimesMs: {
      read: 100,
      normalise: 10,
      inference: 900,
      postprocess: 400,
      assess: 200,
      write: 50,
    },
    peakRssBytes: 600 * 1024 * 1024,
    triage: null,
    inference: {
      executionProviders: ['cpu'],
      graphTilesRun: { model: 9 },
      cachedTileCount: 0,
    },
    ...overrides,
  };
}

describe('formatSummary', () => {
  it('names the region analysed, and says when it was cut at the slide edge', () => {
    const asked = { x: 2000, y: 2800, width: 1000, height: 1000 };
    const cut = formatSummary(
      outcome({ region: { analysed: { ...asked, width: 220, height: 167 }, asked } }),
    );
    expect(cut).toContain(
      "Region: 2000,2800,220,167 (level-0 px), cut at the slide's edge from the 2000,2800,1000,1000 asked",
    );

    const whole = formatSummary(outcome({ region: { analysed: asked, asked } }));
    expect(whole).toContain('Region: 2000,2800,1000,1000 (level-0 px)\n');
    expect(formatSummary(outcome({}))).not.toContain('Region:');
  });

  it('says which execution providers ran, and nothing when no inference was opened', () => {
    expect(formatSummary(outcome({}))).toContain('Execution providers: cpu\n');
    expect(
      formatSummary(outcome({ inference: null, end: 'already-done' })),
    ).not.toContain('Execution providers');
  });

  it('says that a cancelled run continues from its finished tiles', () => {
    expect(formatSummary(outcome({ end: 'cancelled' }))).toMatch(
      /^Analysis 3: cancelled \(finished tiles are kept; running the same command again continues from them\)/,
    );
  });

  it('names the bundle with the start of its identity hash', () => {
    expect(formatSummary(outcome({}))).toContain(
      '\nBundle: cellvit-optimus-default 9.9.9, identity hash ab12ab12ab12\n',
    );
  });

  it('gives the slide verdict by its label, with the reasons under it', () => {
    const triage = {
      verdict: 'out-of-domain',
      reasons: ['Too many tissue regions are Out-of-domain.'],
      regionReasons: [],
    };
    expect(formatSummary(outcome({ triage }))).toContain(
      'Verdict: Out-of-domain\n  - Too many tissue regions are Out-of-domain.',
    );
    expect(formatSummary(outcome({}))).toContain(
      'Verdict: not available (no triage for this run)',
    );
  });
});
