/**
 * Physical units of slides: micrometres per pixel (mpp) from the many ways files
 * record it, in the order of trust the project uses. Pure: no I/O.
 */
import type { Mpp } from './slide-types';

/** TIFF ResolutionUnit values (tag 296): 1 none, 2 inch, 3 centimetre. */
export type TiffResolutionUnit = 1 | 2 | 3;

/** Calibration as each source records it; absent fields are `undefined`. */
export interface MppSources {
  /** OpenSlide's `openslide.mpp-x` / `-y` in micrometres per pixel. */
  openslideMpp?: { x: number; y: number };
  /** TIFF XResolution/YResolution in pixels per `unit`. */
  tiffResolution?: { pixelsPerUnitX: number; pixelsPerUnitY: number; unit: number };
  /** OME PhysicalSizeX/Y with their units (OME defaults to micrometres). */
  omePhysicalSize?: { x: number; y: number; unitX?: string; unitY?: string };
  /** The `MPP = ` value of an Aperio ImageDescription, micrometres per pixel. */
  aperioMpp?: number;
  /** DICOM PixelSpacing [row spacing, column spacing] in millimetres. */
  dicomPixelSpacingMm?: [number, number];
}

const MICRONS_PER_UNIT: Record<string, number> = {
  pm: 1e-6,
  nm: 1e-3,
  µm: 1,
  um: 1,
  μm: 1,
  mm: 1e3,
  cm: 1e4,
  m: 1e6,
};

/**
 * Plausible level-0 mpp for a slide scan; outside it a value is treated as absent.
 * The upper bound rejects the 72 or 300 dpi that image editors write into TIFFs.
 */
const MIN_PLAUSIBLE_MPP = 0.01;
const MAX_PLAUSIBLE_MPP = 20;

function isPlausible(mpp: number): boolean {
  return Number.isFinite(mpp) && mpp >= MIN_PLAUSIBLE_MPP && mpp <= MAX_PLAUSIBLE_MPP;
}

function pair(x: number, y: number, source: Mpp['source']): Mpp | null {
  return isPlausible(x) && isPlausible(y) ? { x, y, source } : null;
}

/** Micrometres per pixel from TIFF resolution tags; `null` for unit "none" or junk. */
export function mppFromTiffResolution(
  resolution: NonNullable<MppSources['tiffResolution']>,
): Mpp | null {
  const micronsPerUnit =
    resolution.unit === 2 ? 25_400 : resolution.unit === 3 ? 10_000 : null;
  if (micronsPerUnit === null) return null;
  const { pixelsPerUnitX, pixelsPerUnitY } = resolution;
  return pair(
    micronsPerUnit / pixelsPerUnitX,
    micronsPerUnit / pixelsPerUnitY,
    'tiff-resolution',
  );
}

/** Converts an OME length with its unit symbol to micrometres; `null` for unknown units. */
export function omeLengthToMicrons(value: number, unit = 'µm'): number | null {
  const factor = MICRONS_PER_UNIT[unit];
  return factor === undefined ? null : value * factor;
}

function mppFromOme(size: NonNullable<MppSources['omePhysicalSize']>): Mpp | null {
  const x = omeLengthToMicrons(size.x, size.unitX);
  const y = omeLengthToMicrons(size.y, size.unitY);
  return x === null || y === null ? null : pair(x, y, 'ome-physical-size');
}

/**
 * The slide's calibration from the first trustworthy source, in this order:
 * OpenSlide property, TIFF resolution tags, OME PhysicalSize, Aperio `MPP`,
 * DICOM PixelSpacing. `null` when none is present: mpp is never guessed.
 */
export function resolveMpp(sources: MppSources): Mpp | null {
  const { openslideMpp, tiffResolution, omePhysicalSize, aperioMpp } = sources;
  const spacing = sources.dicomPixelSpacingMm;
  const candidates: Array<() => Mpp | null> = [
    () =>
      openslideMpp ? pair(openslideMpp.x, openslideMpp.y, 'openslide-property') : null,
    () => (tiffResolution ? mppFromTiffResolution(tiffResolution) : null),
    () => (omePhysicalSize ? mppFromOme(omePhysicalSize) : null),
    () =>
      aperioMpp !== undefined ? pair(aperioMpp, aperioMpp, 'aperio-description') : null,
    // DICOM PixelSpacing is (row spacing, column spacing): y first, then x.
    () =>
      spacing ? pair(spacing[1] * 1000, spacing[0] * 1000, 'dicom-pixel-spacing') : null,
  ];
  for (const candidate of candidates) {
    const mpp = candidate();
    if (mpp) return mpp;
  }
  return null;
}

/**
 * A rough mpp from the objective power (10 µm / power, the usual 20x ≈ 0.5,
 * 40x ≈ 0.25). Scanners differ by up to ~10 %, so this is only ever shown as an
 * estimate beside a `null` mpp, never used as the calibration.
 */
export function estimateMppFromObjective(objectivePower: number | null): number | null {
  if (objectivePower === null || !(objectivePower > 0)) return null;
  return 10 / objectivePower;
}

/** A user-supplied mpp, validated; throws a `RangeError` naming the bad value. */
export function userMpp(value: number): Mpp {
  const mpp = pair(value, value, 'user');
  if (!mpp) {
    throw new RangeError(
      `mpp ${value} is not plausible; expected micrometres per pixel between ` +
        `${MIN_PLAUSIBLE_MPP} and ${MAX_PLAUSIBLE_MPP} (e.g. 0.25 for 40x, 0.5 for 20x).`,
    );
  }
  return mpp;
}
