/**
 * Quality checks of one RGB tile that need no model: blur, pen ink and stain.
 *
 * Thresholds were set by measuring 256 px tiles of the public H&E data (MoNuSeg
 * test, CoNSeP train, the PanNuke breast demo, CMU-1 and the TCGA frozen section):
 * - tissue pixels had a mean HSV saturation of 0.16 to 0.60, so below 0.06 the tile
 *   is effectively greyscale;
 * - red-brown (hue 0-50 degrees, saturation > 0.2) covered at most 1.5 % of tissue
 *   pixels; DAB-stained tissue is mostly brown;
 * - green-cyan (hue 70-190 degrees, saturation > 0.25) never exceeded 1 %, which is
 *   what green pen ink is;
 * - the variance of the Laplacian over tissue was 43 to 3,400 in focus; a Gaussian
 *   blur of sigma 2 px brought it to 4-13.
 */
import type { SiteProfile } from '../../src-shared/site-profile';
import type { QualityFlag, RgbTile } from './types';

/** Colour statistics of a tile's tissue pixels. */
export interface TileColourStats {
  /** Fraction of pixels that look like tissue (not bright, unsaturated glass). */
  tissuePixelFraction: number;
  meanTissueSaturation: number;
  /** Fraction of tissue pixels that are brown (DAB-like). */
  brownFraction: number;
  /** Fraction of all pixels that are green-cyan or near-black, as pen ink is. */
  penInkFraction: number;
  /** Variance of the 4-neighbour Laplacian of grey levels (0-255) over tissue. */
  laplacianVariance: number | null;
}

const MIN_STAIN_SATURATION = 0.06;
const MAX_BROWN_FRACTION = 0.2;
/** Laplacian variance needs this many tissue pixels to mean anything. */
const MIN_TISSUE_PIXELS_FOR_BLUR = 256;

/** What the colour checks read of one pixel; channels, max and luminance in [0, 1]. */
interface PixelColour {
  hueDegrees: number;
  saturation: number;
  max: number;
  luminance: number;
}

/** The lowest saturation any hue test needs to exceed (brown: 0.2, green ink: 0.25). */
const MIN_HUE_SATURATION = 0.2;

/**
 * Reads pixel `offset / 3` into `out` (reused, so the per-pixel loop allocates
 * nothing). The HSV hue (degrees) is left at -1 where no check reads it: at a
 * saturation of at most {@link MIN_HUE_SATURATION}.
 */
function readPixelColour(data: Uint8Array, offset: number, out: PixelColour): void {
  const r = (data[offset] as number) / 255;
  const g = (data[offset + 1] as number) / 255;
  const b = (data[offset + 2] as number) / 255;
  const max = r > g ? (r > b ? r : b) : g > b ? g : b;
  const range = max - (r < g ? (r < b ? r : b) : g < b ? g : b);
  out.max = max;
  out.luminance = 0.299 * r + 0.587 * g + 0.114 * b;
  out.saturation = range === 0 ? 0 : range / max;
  out.hueDegrees = -1;
  if (out.saturation <= MIN_HUE_SATURATION) return;

  let sector: number;
  if (max === r) sector = wrapSector((g - b) / range);
  else if (max === g) sector = (b - r) / range + 2;
  else sector = (r - g) / range + 4;
  out.hueDegrees = sector * 60;
}

/**
 * `((offset % 6) + 6) % 6` for an offset in [-1, 1], the red sector's range, without
 * the floating-point remainders that made them the slowest steps of a tile's colour
 * check. Both give the same double: for offset >= 0, `(offset + 6) % 6` is exactly
 * `(offset + 6) - 6`; below 0, `offset + 6` is already under 6 (offsets are at least
 * 1/255 from 0, as channels are multiples of 1/255).
 */
function wrapSector(offset: number): number {
  return offset < 0 ? offset + 6 : offset + 6 - 6;
}

/** Dark, or not bright and saturated enough to be stained. */
function isTissue(colour: PixelColour): boolean {
  const isDark = colour.max < 0.3;
  return isDark || (colour.luminance < 0.86 && colour.saturation * colour.max > 0.05);
}

/** Green-cyan ink or near-black marker. */
function isPenInk(colour: PixelColour): boolean {
  const isGreen =
    colour.hueDegrees >= 70 && colour.hueDegrees < 190 && colour.saturation > 0.25;
  return isGreen || colour.max < 0.12;
}

/** Measures {@link TileColourStats} of an RGB tile. */
export function measureTileColour(tile: RgbTile): TileColourStats {
  const pixelCount = tile.widthPx * tile.heightPx;
  const tissueMask = new Uint8Array(pixelCount);
  const colour: PixelColour = { hueDegrees: 0, saturation: 0, max: 0, luminance: 0 };
  let tissue = 0;
  let saturationSum = 0;
  let brown = 0;
  let ink = 0;

  for (let pixel = 0; pixel < pixelCount; pixel += 1) {
    readPixelColour(tile.data, pixel * 3, colour);
    if (isPenInk(colour)) ink += 1;
    if (!isTissue(colour)) continue;
    tissueMask[pixel] = 1;
    tissue += 1;
    saturationSum += colour.saturation;
    const isBrown = colour.hueDegrees >= 0 && colour.hueDegrees < 50;
    if (isBrown && colour.saturation > 0.2) brown += 1;
  }
  return {
    tissuePixelFraction: tissue / pixelCount,
    meanTissueSaturation: tissue > 0 ? saturationSum / tissue : 0,
    brownFraction: tissue > 0 ? brown / tissue : 0,
    penInkFraction: ink / pixelCount,
    laplacianVariance: laplacianVariance(tile, tissueMask),
  };
}

/** Variance of the 4-neighbour Laplacian of grey levels at interior tissue pixels. */
export function laplacianVariance(tile: RgbTile, tissueMask: Uint8Array): number | null {
  const { widthPx, heightPx, data } = tile;
  const grey = new Float64Array(widthPx * heightPx);
  for (let i = 0; i < grey.length; i += 1) {
    grey[i] = 0.299 * data[i * 3]! + 0.587 * data[i * 3 + 1]! + 0.114 * data[i * 3 + 2]!;
  }

  let count = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let y = 1; y < heightPx - 1; y += 1) {
    for (let x = 1; x < widthPx - 1; x += 1) {
      const i = y * widthPx + x;
      if (!tissueMask[i]) continue;
      const value =
        grey[i - 1]! +
        grey[i + 1]! +
        grey[i - widthPx]! +
        grey[i + widthPx]! -
        4 * grey[i]!;
      count += 1;
      sum += value;
      sumSquares += value * value;
    }
  }
  if (count < MIN_TISSUE_PIXELS_FOR_BLUR) return null;
  const mean = sum / count;
  return sumSquares / count - mean * mean;
}

/** Options of {@link qualityFlagsFor}. */
export interface QualityInput {
  rgbTile: RgbTile | null;
  tissueFraction: number;
  slideMppX: number | null;
  targetMpp: number;
  limits: SiteProfile['quality'];
}

/** The quality flags of one tile, and the colour statistics they came from. */
export function qualityFlagsFor(input: QualityInput): {
  flags: QualityFlag[];
  colour: TileColourStats | null;
} {
  const { limits } = input;
  const flags: QualityFlag[] = [];
  // A missing mpp is a slide-level reason ('missing-mpp'), not a per-tile flag.
  const isMppOff =
    input.slideMppX !== null && input.slideMppX > input.targetMpp * limits.maxMppRatio;
  if (isMppOff) flags.push('mpp-out-of-range');
  if (!input.rgbTile) return { flags: [...flags, 'unreadable'], colour: null };
  if (input.tissueFraction < limits.minTissueFraction) {
    return { flags: [...flags, 'no-tissue'], colour: null };
  }

  const colour = measureTileColour(input.rgbTile);
  if (colour.penInkFraction > limits.maxPenInkFraction) flags.push('pen-ink');
  const isBlurred =
    colour.laplacianVariance !== null &&
    colour.laplacianVariance < limits.minLaplacianVariance;
  if (isBlurred) flags.push('blur');
  const isOffStain =
    colour.meanTissueSaturation < MIN_STAIN_SATURATION ||
    colour.brownFraction > MAX_BROWN_FRACTION;
  if (isOffStain) flags.push('stain-out-of-range');
  return { flags, colour };
}
