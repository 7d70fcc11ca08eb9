import { describe, expect, it } from 'vitest';
import { NucleusInspector } from '../../../src-renderer/components/NucleusInspector';
import { legendClassesFor } from '../../../src-renderer/overlays/nuclei/legend-classes';
import type { NucleusDetail } from '../../../src-shared/ipc-result-schemas';
import { CONFORMAL_COVERAGE_STATEMENT } from '../../../src-shared/verdict';
import { analysisSummary, DEFAULT_BRIEF, renderMarkup } from './render-markup';

const CLASSES = legendClassesFor(analysisSummary(), DEFAULT_BRIEF);

function detail(overrides: Partial<NucleusDetail> = {}): NucleusDetail {
  return {
    tileIndex: 4,
    indexInTile: 0,
    centroidBase: { x: 10, y: 10 },
    contourBase: [],
    areaBasePx: 120,
    areaMicrons2: 7.5,
    classIndex: 3,
    className: 'epithelial-or-neoplastic',
    classProbabilities: [0, 0.1, 0.2, 0.6, 0.1],
    nucleusProbability: 0.9,
    npEntropy: 0.3,
    ntEntropy: 1.1,
    predictionSet: null,
    ...overrides,
  };
}

function probabilityRows(markup: string): string[] {
  return markup.match(/<tr><th scope="row">.*?<\/tr>/g) ?? [];
}

describe('NucleusInspector', () => {
  it('labels each probability with the class of its index, background left out', () => {
    const markup = renderMarkup(NucleusInspector, { detail: detail(), classes: CLASSES });

    const rows = probabilityRows(markup);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/inflammatory.*10\.0%/);
    expect(rows[2]).toMatch(/epithelial-or-neoplastic.*60\.0%/);
    expect(rows[3]).toMatch(/other.*10\.0%/);
  });

  it('states that the coverage is marginal next to the type probabilities', () => {
    const markup = renderMarkup(NucleusInspector, { detail: detail(), classes: CLASSES });

    expect(markup).toContain(CONFORMAL_COVERAGE_STATEMENT);
    expect(CONFORMAL_COVERAGE_STATEMENT).toMatch(/marginal coverage/);
    expect(CONFORMAL_COVERAGE_STATEMENT).toMatch(/slides like the calibration data/);
  });

  it('states the coverage next to a prediction set', () => {
    const markup = renderMarkup(NucleusInspector, {
      detail: detail({ classProbabilities: null, predictionSet: [3, 1] }),
      classes: CLASSES,
    });

    expect(markup).toContain('epithelial-or-neoplastic, inflammatory');
    expect(markup).toContain(CONFORMAL_COVERAGE_STATEMENT);
  });

  it('makes no coverage claim for an untyped nucleus', () => {
    const markup = renderMarkup(NucleusInspector, {
      detail: detail({ classProbabilities: null, classIndex: null, className: null }),
      classes: CLASSES,
    });

    expect(markup).not.toContain(CONFORMAL_COVERAGE_STATEMENT);
  });
});
