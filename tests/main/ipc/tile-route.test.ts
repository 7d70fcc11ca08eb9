import { describe, expect, it } from 'vitest';
import { parseTilePath } from '../../../src-main/ipc/tile-route';

describe('parseTilePath', () => {
  it('reads the slide, level, column and row of a tile path', () => {
    expect(parseTilePath('12/9/3_4.jpeg')).toEqual({
      slideId: '12',
      level: 9,
      col: 3,
      row: 4,
    });
  });

  for (const bad of [
    '../../etc/passwd',
    '12/../9/3_4.jpeg',
    '%2e%2e/9/3_4.jpeg',
    '12%2f9/3_4.jpeg',
    '/etc/passwd',
    '12/9/3_4.png',
    '12/9/3_4.jpeg/extra',
  ]) {
    it(`refuses the path ${bad}`, () => {
      expect(() => parseTilePath(bad)).toThrow(
        expect.objectContaining({ code: 'PATH_OUTSIDE_ROOT' }),
      );
    });
  }
});
