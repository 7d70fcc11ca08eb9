/**
 * Marker-controlled watershed by flooding an elevation map, as
 * skimage.segmentation.watershed does in HoVer-Net's reference post-processing.
 *
 * OpenCV's `cv.watershed` is not used here: it orders the flood by the colour
 * difference between neighbouring pixels of an 8-bit image, not by the elevation
 * itself, so it cannot flood HoVer-Net's marker-energy landscape the same way.
 */

const LEVELS = 1024;

/** Inputs of {@link floodFromMarkers}; every array has width x height entries. */
export interface FloodInput {
  widthPx: number;
  heightPx: number;
  /** Elevation: lower floods first. */
  elevation: Float32Array;
  /** Seed labels (> 0), 0 elsewhere. */
  markers: Int32Array;
  /** 1 where pixels may be labelled. */
  mask: Uint8Array;
  /**
   * The elevation range the flood levels are spread over (values outside clamp to
   * the end levels). Without it, the range of the masked elevation in this image.
   */
  elevationRange?: { min: number; max: number };
}

/**
 * Labels every masked pixel reachable from a marker (4-connectivity), pixels
 * flooding in order of elevation then arrival; returns the label image.
 */
export function floodFromMarkers(input: FloodInput): Int32Array {
  const { widthPx, heightPx, elevation, mask } = input;
  const labels = Int32Array.from(input.markers);
  const levelOf = quantiser(
    elevation,
    input.elevationRange ?? maskedRange(elevation, mask),
  );
  const buckets: number[][] = Array.from({ length: LEVELS }, () => []);
  const queued = new Uint8Array(labels.length);

  const push = (pixel: number, floorLevel: number) => {
    queued[pixel] = 1;
    (buckets[Math.max(floorLevel, levelOf(pixel))] as number[]).push(pixel);
  };
  for (let i = 0; i < labels.length; i += 1) if (labels[i] !== 0) push(i, 0);

  for (let level = 0; level < LEVELS; level += 1) {
    const bucket = buckets[level] as number[];
    for (let k = 0; k < bucket.length; k += 1) {
      const pixel = bucket[k] as number;
      const label = labels[pixel] as number;
      const x = pixel % widthPx;
      const visit = (next: number) => {
        if (queued[next] || !mask[next]) return;
        labels[next] = label;
        push(next, level);
      };
      if (x > 0) visit(pixel - 1);
      if (x < widthPx - 1) visit(pixel + 1);
      if (pixel >= widthPx) visit(pixel - widthPx);
      if (pixel < (heightPx - 1) * widthPx) visit(pixel + widthPx);
    }
    bucket.length = 0;
  }
  return labels;
}

function maskedRange(
  elevation: Float32Array,
  mask: Uint8Array,
): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < elevation.length; i += 1) {
    if (!mask[i]) continue;
    const value = elevation[i] as number;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}

function quantiser(
  elevation: Float32Array,
  range: { min: number; max: number },
): (pixel: number) => number {
  const { min, max } = range;
  const scale = max > min ? (LEVELS - 1) / (max - min) : 0;
  return (pixel) => {
    const level = Math.round(((elevation[pixel] as number) - min) * scale);
    return Number.isFinite(level) ? Math.min(LEVELS - 1, Math.max(0, level)) : 0;
  };
}
