import { describe, expect, it } from 'vitest';
import { isPenInk, otsuThreshold, rgbToHsv } from '../../src-shared/tissue-classify';

describe('rgbToHsv', () => {
  it('gives pure blue a hue of 240 degrees', () => {
    expect(rgbToHsv(0, 0, 255)).toEqual({ hueDeg: 240, saturation: 1, value: 1 });
  });

  it('gives grey zero saturation', () => {
    expect(rgbToHsv(128, 128, 128).saturation).toBe(0);
  });
});

describe('isPenInk', () => {
  it('flags green marker', () => {
    expect(isPenInk(rgbToHsv(40, 150, 110))).toBe(true);
  });

  it('flags saturated blue marker', () => {
    expect(isPenInk(rgbToHsv(40, 60, 200))).toBe(true);
  });

  it('flags black marker', () => {
    expect(isPenInk(rgbToHsv(30, 30, 35))).toBe(true);
  });

  it('keeps eosin pink', () => {
    expect(isPenInk(rgbToHsv(230, 140, 190))).toBe(false);
  });

  it('keeps dark haematoxylin purple', () => {
    expect(isPenInk(rgbToHsv(70, 40, 110))).toBe(false);
  });
});

describe('otsuThreshold', () => {
  it('splits two clusters between them', () => {
    const values = Float32Array.from([...Array(500).fill(0.05), ...Array(500).fill(0.6)]);
    const threshold = otsuThreshold(values);
    expect(threshold).toBeGreaterThan(0.05);
    expect(threshold).toBeLessThanOrEqual(0.6);
  });
});
