import { describe, expect, it } from 'vitest';
import { premultipliedArgbToRgb } from '../../../src-main/slides/openslide/argb';

const argb = (a: number, r: number, g: number, b: number) =>
  ((a << 24) | (r << 16) | (g << 8) | b) >>> 0;

describe('premultipliedArgbToRgb', () => {
  it('passes opaque pixels through unchanged', () => {
    expect([...premultipliedArgbToRgb(Uint32Array.of(argb(255, 200, 100, 50)))]).toEqual([
      200, 100, 50,
    ]);
  });

  it('turns fully transparent pixels white, as OpenSlide shows background', () => {
    expect([...premultipliedArgbToRgb(Uint32Array.of(argb(0, 0, 0, 0)))]).toEqual([
      255, 255, 255,
    ]);
  });

  it('un-premultiplies a half-transparent pixel and composites it over white', () => {
    // Straight colour (200, 100, 0) at alpha 128 is stored premultiplied as (100, 50, 0).
    const [r, g, b] = premultipliedArgbToRgb(Uint32Array.of(argb(128, 100, 50, 0)));
    expect(r).toBeCloseTo(227, -0.5);
    expect(g).toBeCloseTo(177, -0.5);
    expect(b).toBeCloseTo(127, -0.5);
  });
});
