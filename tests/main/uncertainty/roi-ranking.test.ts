import { describe, expect, it } from 'vitest';
import { buildGridCells } from '../../../src-main/uncertainty/region-grid';
import {
  priorityFor,
  rankRois,
  rectIou,
} from '../../../src-main/uncertainty/roi-ranking';
import type { TileUncertainty } from '../../../src-main/uncertainty/types';
import { makeContext, makeTile } from './triage-builders';

const GRID = { cellSizeBasePx: 512, slideWidthPx: 8192, slideHeightPx: 8192 };

function field(pick: (col: number, row: number) => Partial<TileUncertainty>) {
  const tiles: TileUncertainty[] = [];
  for (let row = 0; row < 16; row += 1) {
    for (let col = 0; col < 16; col += 1) tiles.push(makeTile(col, row, pick(col, row)));
  }
  return buildGridCells(tiles, GRID);
}

describe('rankRois', () => {
  it('puts the uncertain, dense, neoplastic window first and says why', () => {
    const cells = field((col, row) =>
      col >= 10 && row >= 10
        ? {
            ntEntropyMean: 1,
            nucleusCount: 40,
            typedNucleusCount: 40,
            neoplasticCount: 40,
          }
        : {},
    );
    const [first] = rankRois(cells, makeContext());
    expect(first!.roiBaseRect.x).toBeGreaterThanOrEqual(5 * 512 - 512);
    expect(first!.parts.uncertainty).toBeCloseTo(1 / 0.6 / 2, 6);
    expect(first!.parts.neoplasticFraction).toBe(1);
    expect(first!.priority).toBe('critical');
  });

  it('ranks an out-of-domain window by its uncertainty alone, never as critical', () => {
    const unfamiliar = {
      oodDistance: 10,
      isOod: true,
      nucleusCount: 40,
      typedNucleusCount: 40,
      neoplasticCount: 40,
    };
    const cells = field((col, row) => (col >= 10 && row >= 10 ? unfamiliar : {}));
    const outOfDomain = rankRois(cells, makeContext()).filter(
      (roi) => roi.verdict === 'out-of-domain',
    );

    expect(outOfDomain.length).toBeGreaterThan(0);
    for (const roi of outOfDomain) {
      expect(roi.parts).toMatchObject({ density: 0, neoplasticFraction: 0 });
      expect(roi.score).toBeCloseTo(0.4 * roi.parts.uncertainty, 6);
      expect(roi.priority).not.toBe('critical');
    }
  });

  it('scales the nucleus parts of a partly out-of-domain window by its in-domain share', () => {
    const neoplastic = { nucleusCount: 40, typedNucleusCount: 40, neoplasticCount: 40 };
    // In the dense corner every fourth tile lies far from the training data.
    const cells = field((col, row) => {
      if (col < 10 || row < 10) return {};
      return (col + row) % 4 === 0
        ? { ...neoplastic, oodDistance: 10, isOod: true }
        : neoplastic;
    });
    const [first] = rankRois(cells, makeContext());

    expect(first!.verdict).not.toBe('out-of-domain');
    expect(first!.parts.neoplasticFraction).toBeGreaterThan(0.5);
    expect(first!.parts.neoplasticFraction).toBeLessThan(1);
    expect(first!.parts.density).toBeLessThan(1);
  });

  it('orders tied out-of-domain windows by how far past the threshold they are', () => {
    const cells = field((col) => ({ oodDistance: 10 + col, isOod: true }));
    const rois = rankRois(cells, makeContext());

    expect(rois.map((roi) => roi.score)).toEqual(rois.map(() => rois[0]!.score));
    // The distance grows to the right, so a window's largest is at its right edge.
    const rightEdges = rois.map((roi) => roi.roiBaseRect.x + roi.roiBaseRect.width);
    expect(rightEdges).toEqual([...rightEdges].sort((a, b) => b - a));
    expect(rightEdges[0]).toBeGreaterThan(rightEdges.at(-1)!);
  });

  it('never keeps two windows that share any area, diagonal neighbours included', () => {
    const rois = rankRois(
      field(() => ({})),
      makeContext(),
    );
    for (const a of rois) {
      for (const b of rois)
        if (a !== b) expect(rectIou(a.roiBaseRect, b.roiBaseRect)).toBe(0);
    }
  });

  it('ranks from 1 in order of decreasing score', () => {
    const rois = rankRois(
      field((col) => ({ npEntropyMean: col / 40 })),
      makeContext(),
    );
    expect(rois.map((r) => r.rank)).toEqual(rois.map((_, i) => i + 1));
    for (let i = 1; i < rois.length; i += 1)
      expect(rois[i]!.score).toBeLessThanOrEqual(rois[i - 1]!.score);
  });
});

describe('priorityFor', () => {
  it('maps score bands to critical, high, medium and low', () => {
    expect([0.8, 0.6, 0.4, 0.1].map(priorityFor)).toEqual([
      'critical',
      'high',
      'medium',
      'low',
    ]);
  });
});
