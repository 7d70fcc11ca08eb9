import { describe, expect, it } from 'vitest';
import {
  premultipliedArgbToRgb,
  premultipliedArgbToRgbInto,
} from '../../../src-main/slides/openslide/argb';

const argb = (a: number, r: number, g: number, b: number) =>
  ((a << 24) | (r << 16) | (g << 8) | b) >>> 0;

/** The rule of the module's header: opaque as is, transparent white, else over white. */
function expectedRgb(pixel: number): number[] {
  const alpha = pixel >>> 24;
  const channels = [(pixel >>> 16) & 0xff, (pixel >>> 8) & 0xff, pixel & 0xff];
  if (alpha === 255) return channels;
  if (alpha === 0) return [255, 255, 255];
  return channels.map((premultiplied) => {
    const straight = Math.min(255, Math.round((premultiplied * 255) / alpha));
    return Math.round((straight * alpha + 255 * (255 - alpha)) / 255);
  });
}

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

describe('premultipliedArgbToRgbInto', () => {
  // Two groups of four pixels and a tail of three: an all-opaque group, a group
  // mixing transparent and partly transparent pixels, then mixed tail pixels.
  const pixels = Uint32Array.of(
    argb(255, 1, 2, 3),
    argb(255, 200, 100, 50),
    argb(255, 0, 0, 0),
    argb(255, 40, 50, 60),
    argb(255, 10, 20, 30),
    argb(0, 0, 0, 0),
    argb(128, 100, 50, 0),
    argb(64, 10, 20, 30),
    argb(255, 7, 8, 9),
    argb(0, 0, 0, 0),
    argb(64, 10, 20, 30),
  );
  // Partly transparent pixels: straight = round(p * 255 / a), then over white:
  // round((straight * a + 255 * (255 - a)) / 255), e.g. (100, 50, 0) at 128 -> 227, 177, 127.
  const expected = [
    [1, 2, 3],
    [200, 100, 50],
    [0, 0, 0],
    [40, 50, 60],
    [10, 20, 30],
    [255, 255, 255],
    [227, 177, 127],
    [201, 211, 221],
    [7, 8, 9],
    [255, 255, 255],
    [201, 211, 221],
  ].flat();

  it('writes the known RGB of a hand-made premultiplied buffer', () => {
    const rgb = new Uint8Array(pixels.length * 3);
    premultipliedArgbToRgbInto(pixels, rgb);
    expect([...rgb]).toEqual(expected);
  });

  it('writes the same bytes into a view that does not start on a word boundary', () => {
    const image = new Uint8Array(1 + pixels.length * 3 + 1).fill(9);
    premultipliedArgbToRgbInto(pixels, image.subarray(1, 1 + pixels.length * 3));
    expect([...image]).toEqual([9, ...expected, 9]);
  });

  it('matches the pixel-by-pixel path on random opaque and translucent pixels', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    const random = Uint32Array.from({ length: 4099 }, () => {
      const alpha = [255, 255, 255, 0, 1, 128, 254][next() % 7]!;
      const channel = () => Math.min(alpha, next() % 256);
      return argb(alpha, channel(), channel(), channel());
    });
    const grouped = new Uint8Array(random.length * 3);
    premultipliedArgbToRgbInto(random, grouped);
    const offset = new Uint8Array(random.length * 3 + 1);
    premultipliedArgbToRgbInto(random, offset.subarray(1));
    expect(Buffer.from(grouped).equals(Buffer.from(offset.subarray(1)))).toBe(true);
  });

  it('matches the per-pixel rule on opaque, transparent and mixed stretches', () => {
    // Stretches of 1-70 pixels, so groups of four of each kind occur as well as
    // groups mixing kinds, and a tail shorter than a group.
    const count = 5003;
    let seed = 11;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    const pixels = new Uint32Array(count);
    for (let i = 0; i < count;) {
      const alphas = [[255], [0], [1, 64, 128, 254, 255]][next() % 3]!;
      for (let end = Math.min(count, i + 1 + (next() % 70)); i < end; i++) {
        const alpha = alphas[next() % alphas.length]!;
        const channel = () => Math.min(alpha, next() % 256);
        pixels[i] = argb(alpha, channel(), channel(), channel());
      }
    }
    const rgb = new Uint8Array(count * 3);
    premultipliedArgbToRgbInto(pixels, rgb);
    const wrong = [...pixels].findIndex((pixel, i) =>
      expectedRgb(pixel).some((value, c) => rgb[i * 3 + c] !== value),
    );
    expect(wrong).toBe(-1);
  });

  it('refuses a target whose size does not match the pixels', () => {
    expect(() =>
      premultipliedArgbToRgbInto(pixels, new Uint8Array(pixels.length * 3 - 1)),
    ).toThrow(RangeError);
  });
});
