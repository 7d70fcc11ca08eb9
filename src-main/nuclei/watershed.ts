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
  const { widthPx, heightPx, mask } = input;
  const labels = input.markers.slice();
  const levelOf = quantiser(
    input.elevation,
    input.elevationRange ?? maskedRange(input.elevation, mask),
  );
  const queue = new LevelQueue(labels.length);
  const queued = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i += 1) {
    if (labels[i] === 0) continue;
    queued[i] = 1;
    queue.append(levelOf(i), i);
  }

  const lastRowStart = (heightPx - 1) * widthPx;
  for (let level = 0; level < LEVELS; level += 1) {
    for (let pixel = queue.first(level); pixel >= 0; pixel = queue.after(pixel)) {
      const label = labels[pixel] as number;
      const x = pixel % widthPx;
      const neighbours = [
        x > 0 ? pixel - 1 : -1,
        x < widthPx - 1 ? pixel + 1 : -1,
        pixel >= widthPx ? pixel - widthPx : -1,
        pixel < lastRowStart ? pixel + widthPx : -1,
      ];
      for (const next of neighbours) {
        if (next < 0 || queued[next] || !mask[next]) continue;
        labels[next] = label;
        queued[next] = 1;
        queue.append(Math.max(level, levelOf(next)), next);
      }
    }
  }
  return labels;
}

/**
 * First-in first-out queues of pixels, one per flood level, kept as linked lists in
 * typed arrays: each pixel is queued at most once, so nothing grows while flooding.
 */
class LevelQueue {
  private readonly heads = new Int32Array(LEVELS).fill(-1);
  private readonly tails = new Int32Array(LEVELS).fill(-1);
  private readonly links: Int32Array;

  constructor(pixelCount: number) {
    this.links = new Int32Array(pixelCount).fill(-1);
  }

  append(level: number, pixel: number): void {
    const tail = this.tails[level] as number;
    if (tail < 0) this.heads[level] = pixel;
    else this.links[tail] = pixel;
    this.tails[level] = pixel;
  }

  /** The first pixel queued at `level`, or -1. */
  first(level: number): number {
    return this.heads[level] as number;
  }

  /** The pixel queued after `pixel` at its level (later arrivals included), or -1. */
  after(pixel: number): number {
    return this.links[pixel] as number;
  }
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
