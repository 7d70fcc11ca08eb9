import { describe, expect, it } from 'vitest';
import {
  gaussianBlur,
  makeSyntheticOod,
  SYNTHETIC_OOD_KINDS,
} from '../../../../src-main/uncertainty/evaluation/synthetic-inputs';
import type { RgbTile } from '../../../../src-main/uncertainty/types';

const source: RgbTile = {
  data: Uint8Array.from({ length: 32 * 32 * 3 }, (_, i) => (i * 37) % 256),
  widthPx: 32,
  heightPx: 32,
};

describe('makeSyntheticOod', () => {
  it('makes a tile of the source size for every kind', () => {
    for (const kind of SYNTHETIC_OOD_KINDS) {
      const tile = makeSyntheticOod(kind, source, 3);
      expect([tile.widthPx, tile.heightPx, tile.data.length]).toEqual([
        32,
        32,
        32 * 32 * 3,
      ]);
    }
  });

  it('gives the same pixels for the same seed', () => {
    expect(makeSyntheticOod('noise', source, 5).data).toEqual(
      makeSyntheticOod('noise', source, 5).data,
    );
  });
});

describe('gaussianBlur', () => {
  it('keeps a flat image flat', () => {
    const flat = { ...source, data: new Uint8Array(source.data.length).fill(120) };
    expect(gaussianBlur(flat, 2).data.every((v) => v === 120)).toBe(true);
  });
});
