import { describe, expect, it } from 'vitest';
import {
  estimateMppFromObjective,
  mppFromTiffResolution,
  omeLengthToMicrons,
  resolveMpp,
  userMpp,
} from '../../src-shared/units';

describe('resolveMpp', () => {
  it('prefers the OpenSlide property over every other source', () => {
    const mpp = resolveMpp({ openslideMpp: { x: 0.499, y: 0.5 }, aperioMpp: 0.25 });
    expect(mpp).toEqual({ x: 0.499, y: 0.5, source: 'openslide-property' });
  });

  it('uses TIFF resolution in centimetres when OpenSlide has none', () => {
    const mpp = resolveMpp({
      tiffResolution: { pixelsPerUnitX: 20040.08, pixelsPerUnitY: 20040.08, unit: 3 },
    });
    expect(mpp?.x).toBeCloseTo(0.499, 4);
    expect(mpp?.source).toBe('tiff-resolution');
  });

  it('converts OME nanometres to micrometres', () => {
    expect(
      resolveMpp({ omePhysicalSize: { x: 250, y: 250, unitX: 'nm', unitY: 'nm' } }),
    ).toEqual({ x: 0.25, y: 0.25, source: 'ome-physical-size' });
  });

  it('reads OME sizes without a unit as micrometres, the OME default', () => {
    expect(resolveMpp({ omePhysicalSize: { x: 0.5, y: 0.5 } })?.x).toBe(0.5);
  });

  it('falls back to the Aperio MPP field', () => {
    expect(resolveMpp({ aperioMpp: 0.2527 })).toEqual({
      x: 0.2527,
      y: 0.2527,
      source: 'aperio-description',
    });
  });

  it('converts DICOM PixelSpacing (row, column in mm) to x and y micrometres', () => {
    expect(resolveMpp({ dicomPixelSpacingMm: [0.00025, 0.0005] })).toEqual({
      x: 0.5,
      y: 0.25,
      source: 'dicom-pixel-spacing',
    });
  });

  it('returns null when no source is present', () => {
    expect(resolveMpp({})).toBeNull();
  });

  it('ignores a 72 dpi resolution an image editor wrote', () => {
    expect(
      resolveMpp({ tiffResolution: { pixelsPerUnitX: 72, pixelsPerUnitY: 72, unit: 2 } }),
    ).toBeNull();
  });
});

describe('mppFromTiffResolution', () => {
  it('converts pixels per inch', () => {
    expect(
      mppFromTiffResolution({ pixelsPerUnitX: 101600, pixelsPerUnitY: 101600, unit: 2 })
        ?.x,
    ).toBeCloseTo(0.25, 9);
  });

  it('returns null for resolution unit "none"', () => {
    expect(
      mppFromTiffResolution({ pixelsPerUnitX: 4, pixelsPerUnitY: 4, unit: 1 }),
    ).toBeNull();
  });
});

describe('omeLengthToMicrons', () => {
  it('converts millimetres', () => {
    expect(omeLengthToMicrons(0.0005, 'mm')).toBeCloseTo(0.5, 9);
  });

  it('returns null for an unknown unit', () => {
    expect(omeLengthToMicrons(1, 'furlong')).toBeNull();
  });
});

describe('estimateMppFromObjective', () => {
  it('estimates 0.5 for 20x', () => {
    expect(estimateMppFromObjective(20)).toBe(0.5);
  });

  it('returns null without an objective power', () => {
    expect(estimateMppFromObjective(null)).toBeNull();
  });
});

describe('userMpp', () => {
  it('labels a valid value as user-supplied', () => {
    expect(userMpp(0.25)).toEqual({ x: 0.25, y: 0.25, source: 'user' });
  });

  it('rejects an implausible value with a message naming it', () => {
    expect(() => userMpp(250)).toThrow(/250/);
  });
});
