import { describe, expect, it } from 'vitest';
import {
  buildClassColorTable,
  hexToRgb,
} from '../../../src-renderer/overlays/nuclei/class-palette';

const classes = [
  { index: 1, name: 'inflammatory', pannuke: ['Inflammatory'], colorHex: '#ff0000' },
  {
    index: 3,
    name: 'epithelial-or-neoplastic',
    pannuke: ['Neoplastic', 'Epithelial'],
    colorHex: '#0000ff',
  },
];

describe('class-palette', () => {
  it('converts #rrggbb to 0..1 channels', () => {
    expect(hexToRgb('#ff8000')).toEqual([1, 128 / 255, 0]);
  });

  it('refuses a colour that is not #rrggbb', () => {
    expect(() => hexToRgb('red')).toThrow(/not #rrggbb/);
  });

  it('places each class colour at its index with full alpha', () => {
    const table = buildClassColorTable(classes, new Set());
    expect([...table.subarray(4, 8)]).toEqual([1, 0, 0, 1]);
    expect([...table.subarray(12, 16)]).toEqual([0, 0, 1, 1]);
  });

  it('gives hidden classes zero alpha so the shader discards them', () => {
    const table = buildClassColorTable(classes, new Set([3]));
    expect(table[15]).toBe(0);
  });
});
