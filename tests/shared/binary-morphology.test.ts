import { describe, expect, it } from 'vitest';
import {
  close,
  dilate,
  erode,
  open,
  removeSmallComponents,
} from '../../src-shared/binary-morphology';

const mask = (rows: string[]) => ({
  widthPx: rows[0]!.length,
  heightPx: rows.length,
  data: Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0)),
});
const text = (m: { widthPx: number; data: Uint8Array }) =>
  Array.from({ length: m.data.length / m.widthPx }, (_, y) =>
    Array.from(m.data.subarray(y * m.widthPx, (y + 1) * m.widthPx), (v) =>
      v ? '#' : '.',
    ).join(''),
  );

describe('binary morphology', () => {
  it('dilates a point into a 3x3 square', () => {
    expect(text(dilate(mask(['.....', '.....', '..#..', '.....', '.....']), 1))).toEqual([
      '.....',
      '.###.',
      '.###.',
      '.###.',
      '.....',
    ]);
  });

  it('erodes a 3x3 square to its centre', () => {
    expect(text(erode(mask(['.....', '.###.', '.###.', '.###.', '.....']), 1))).toEqual([
      '.....',
      '.....',
      '..#..',
      '.....',
      '.....',
    ]);
  });

  it('opens away a lone pixel', () => {
    expect(text(open(mask(['...', '.#.', '...']), 1))).toEqual(['...', '...', '...']);
  });

  it('closes a one-pixel gap', () => {
    expect(text(close(mask(['.....', '##.##', '.....']), 1))[1]).toBe('#####');
  });

  it('removes components smaller than the minimum area and keeps larger ones', () => {
    const result = removeSmallComponents(mask(['#...##', '....##', '......']), 3);
    expect(text(result)).toEqual(['....##', '....##', '......']);
  });
});
