/**
 * Per-pixel tissue rules for H&E thumbnails. Pure: no I/O.
 *
 * Hue, saturation and value (HSV) separate the cases well: glass is bright and
 * unsaturated; haematoxylin and eosin lie on the purple-to-pink arc (hue about
 * 260-360 and 0-20 degrees); marker pens are green, cyan or blue hues that H&E
 * never produces, or near-black. Thresholds were read off the hue/saturation
 * histograms of the public CMU-1 and TCGA prostate (pen-marked) samples.
 */

/** HSV of one 8-bit RGB pixel: hue in degrees [0, 360), saturation and value in [0, 1]. */
export interface Hsv {
  hueDeg: number;
  saturation: number;
  value: number;
}

/** Converts 8-bit RGB to HSV. */
export function rgbToHsv(r: number, g: number, b: number): Hsv {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const delta = max - min;
  let hueDeg = 0;
  if (delta > 0) {
    if (max === r) hueDeg = 60 * (((g - b) / delta + 6) % 6);
    else if (max === g) hueDeg = 60 * ((b - r) / delta + 2);
    else hueDeg = 60 * ((r - g) / delta + 4);
  }
  return { hueDeg, saturation: max === 0 ? 0 : delta / max, value: max / 255 };
}

/** Green and cyan pen: a hue band H&E never reaches, once the pixel has some colour. */
const GREEN_PEN = { minHueDeg: 70, maxHueDeg: 195, minSaturation: 0.15 };
/**
 * Blue pen: saturated pure blue. Haematoxylin is bluish too, but purple (hue
 * ≥ 240) and, in dense nuclei, darker than the 0.25 value floor.
 */
const BLUE_PEN = { minHueDeg: 195, maxHueDeg: 238, minSaturation: 0.45, minValue: 0.25 };
/** Black marker: very dark and grey; stained nuclei this dark keep their purple saturation. */
const BLACK_PEN = { maxValue: 0.18, maxSaturation: 0.35 };

/** Whether a pixel looks like marker-pen ink (green, blue or black). */
export function isPenInk(hsv: Hsv): boolean {
  const { hueDeg, saturation, value } = hsv;
  const isGreen =
    hueDeg >= GREEN_PEN.minHueDeg &&
    hueDeg < GREEN_PEN.maxHueDeg &&
    saturation >= GREEN_PEN.minSaturation;
  const isBlue =
    hueDeg >= BLUE_PEN.minHueDeg &&
    hueDeg < BLUE_PEN.maxHueDeg &&
    saturation >= BLUE_PEN.minSaturation &&
    value >= BLUE_PEN.minValue;
  const isBlack = value <= BLACK_PEN.maxValue && saturation <= BLACK_PEN.maxSaturation;
  return isGreen || isBlue || isBlack;
}

/**
 * Otsu's threshold of values in [0, 1] (256 bins): the cut that maximises the
 * between-class variance. Returns the upper edge of the lower class.
 */
export function otsuThreshold(values: Float32Array): number {
  const bins = new Float64Array(256);
  for (const v of values) bins[Math.min(255, Math.max(0, Math.floor(v * 256)))]! += 1;
  const total = values.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * bins[i]!;

  let weightLow = 0;
  let sumLow = 0;
  let bestVariance = -1;
  let bestBin = 0;
  for (let i = 0; i < 256; i++) {
    weightLow += bins[i]!;
    sumLow += i * bins[i]!;
    const weightHigh = total - weightLow;
    if (weightLow === 0 || weightHigh === 0) continue;
    const meanDiff = sumLow / weightLow - (sumAll - sumLow) / weightHigh;
    const variance = weightLow * weightHigh * meanDiff * meanDiff;
    if (variance > bestVariance) {
      bestVariance = variance;
      bestBin = i;
    }
  }
  return (bestBin + 1) / 256;
}

/** Saturation below which a pixel is always glass, whatever Otsu says (a blank slide has no bimodality). */
export const MIN_TISSUE_SATURATION = 0.07;
/** Value below which a pixel that is not ink is tissue even when unsaturated (dense, dark tissue). */
export const DARK_TISSUE_VALUE = 0.5;

/** Raw per-pixel classes of an RGB image: 1 tissue, 2 pen ink, 0 glass. */
export function classifyPixels(rgb: Uint8Array, pixelCount: number): Uint8Array {
  const hues = new Float32Array(pixelCount);
  const saturations = new Float32Array(pixelCount);
  const values = new Float32Array(pixelCount);
  for (let i = 0; i < pixelCount; i++) {
    const hsv = rgbToHsv(rgb[i * 3]!, rgb[i * 3 + 1]!, rgb[i * 3 + 2]!);
    hues[i] = hsv.hueDeg;
    saturations[i] = hsv.saturation;
    values[i] = hsv.value;
  }
  const threshold = Math.max(otsuThreshold(saturations), MIN_TISSUE_SATURATION);

  const classes = new Uint8Array(pixelCount);
  const pixel: Hsv = { hueDeg: 0, saturation: 0, value: 0 };
  for (let i = 0; i < pixelCount; i++) {
    pixel.hueDeg = hues[i]!;
    pixel.saturation = saturations[i]!;
    pixel.value = values[i]!;
    if (isPenInk(pixel)) classes[i] = 2;
    else if (pixel.saturation >= threshold || pixel.value < DARK_TISSUE_VALUE)
      classes[i] = 1;
  }
  return classes;
}
