import { describe, expect, it } from 'vitest';
import { legendClassesFor } from '../../../src-renderer/overlays/nuclei/legend-classes';
import { analysisSummary, DEFAULT_BRIEF } from '../components/render-markup';

describe('legendClassesFor', () => {
  it("takes names, colours and PanNuke mappings from the loaded bundle's classes", () => {
    const classes = legendClassesFor(analysisSummary(), DEFAULT_BRIEF);

    expect(classes.map((c) => [c.index, c.name, c.colorHex])).toEqual([
      [0, 'untyped', '#9e9e9e'],
      [1, 'inflammatory', '#1f77ff'],
      [2, 'connective', '#2ca02c'],
      [3, 'epithelial-or-neoplastic', '#e3171e'],
      [4, 'other', '#f5b800'],
    ]);
    expect(classes[3]?.pannuke).toEqual(['Neoplastic', 'Epithelial']);
  });

  it('uses the colours the analysis recorded when it ran with another bundle', () => {
    const summary = analysisSummary({
      bundleVersion: '0.9.0',
      countsByClass: [
        { classIndex: 3, name: 'epithelial-or-neoplastic', count: 5, color: '#e3171e' },
      ],
    });

    const classes = legendClassesFor(summary, DEFAULT_BRIEF);

    expect(classes.map((c) => [c.index, c.name, c.colorHex])).toEqual([
      [0, 'untyped', '#9e9e9e'],
      [3, 'epithelial-or-neoplastic', '#e3171e'],
    ]);
  });
});
