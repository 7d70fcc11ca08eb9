import { describe, expect, it } from 'vitest';
import { buildDensityTexels } from '../../../src-renderer/overlays/nuclei/density-texture';

const classes = [
  { index: 1, name: 'a', pannuke: [], colorHex: '#ff0000' },
  { index: 2, name: 'b', pannuke: [], colorHex: '#0000ff' },
];
// Two cells, three counts per cell (untyped, class 1, class 2): cell 0 has 1 of class 1 and 3 of class 2; cell 1 is empty.
const grid = {
  originBaseX: 0,
  originBaseY: 0,
  cellSizeBase: 100,
  cols: 2,
  rows: 1,
  countsPerCell: 3,
  counts: new Uint32Array([0, 1, 3, 0, 0, 0]),
};

describe('buildDensityTexels', () => {
  it('colours a cell by its most frequent class', () => {
    const texels = buildDensityTexels(grid, classes, new Set());
    expect([...texels.subarray(0, 3)]).toEqual([0, 0, 255]);
  });

  it('leaves empty cells transparent', () => {
    expect(buildDensityTexels(grid, classes, new Set())[7]).toBe(0);
  });

  it('ignores hidden classes when picking the colour', () => {
    const texels = buildDensityTexels(grid, classes, new Set([2]));
    expect([...texels.subarray(0, 3)]).toEqual([255, 0, 0]);
  });
});
