/**
 * Checks shared by every reader before it allocates a region: the request must
 * be whole pixels, inside the pyramid, and small enough to hold in memory.
 */
import type { SlideInfo } from '../../src-shared/slide-types';
import type { RegionRequest, RgbImage } from './slide-reader';
import { SlideReadError, SlideTooLargeError } from './slide-errors';

/** Largest region one call may return: 64 megapixels (192 MB of RGB). */
export const MAX_REGION_PIXELS = 64 * 1024 * 1024;

/** Throws a typed error unless `request` is a sane region of `info`'s pyramid. */
export function validateRegionRequest(info: SlideInfo, request: RegionRequest): void {
  const { level, baseX, baseY, widthPx, heightPx } = request;
  if (!Number.isInteger(level) || level < 0 || level >= info.levels.length) {
    throw new SlideReadError(
      `level ${level} does not exist; the slide has levels 0-${info.levels.length - 1}`,
    );
  }
  const areWhole = [baseX, baseY, widthPx, heightPx].every(Number.isSafeInteger);
  if (!areWhole || widthPx < 1 || heightPx < 1) {
    throw new SlideReadError(
      `region ${widthPx}x${heightPx} at (${baseX}, ${baseY}) must use whole pixels and a size of at least 1x1`,
    );
  }
  assertPixelBudget(widthPx, heightPx);
}

/** Throws {@link SlideTooLargeError} when `widthPx` x `heightPx` exceeds {@link MAX_REGION_PIXELS}. */
export function assertPixelBudget(widthPx: number, heightPx: number): void {
  if (widthPx * heightPx > MAX_REGION_PIXELS) {
    const megapixels = Math.round((widthPx * heightPx) / 1e6);
    throw new SlideTooLargeError(
      `A ${widthPx}x${heightPx} px read (${megapixels} MP) exceeds the ${MAX_REGION_PIXELS / 1024 / 1024} MP limit.`,
    );
  }
}

/**
 * The bytes a `widthPx` x `heightPx` region is written into: the caller's `into`
 * when given, which must hold exactly the region's RGB, otherwise new ones.
 */
export function regionBuffer(
  widthPx: number,
  heightPx: number,
  into?: Uint8Array,
): Uint8Array {
  assertPixelBudget(widthPx, heightPx);
  const bytes = widthPx * heightPx * 3;
  if (!into) return new Uint8Array(bytes);
  if (into.length !== bytes) {
    throw new RangeError(
      `The target holds ${into.length} bytes; a ${widthPx}x${heightPx} px region needs ${bytes}.`,
    );
  }
  return into;
}

/** A white RGB image, the colour of glass outside the scanned area, in `into` if given. */
export function whiteImage(
  widthPx: number,
  heightPx: number,
  into?: Uint8Array,
): RgbImage {
  return { data: regionBuffer(widthPx, heightPx, into).fill(255), widthPx, heightPx };
}

/**
 * Copies `source` into `target` with the source's top-left at (`x`, `y`) of the
 * target, clipped to the target and to the optional `limitX`/`limitY` (exclusive,
 * target pixels) beyond which the target must stay untouched.
 */
export function blit(
  target: RgbImage,
  source: RgbImage,
  at: { x: number; y: number; limitX?: number; limitY?: number },
): void {
  const x0 = Math.max(0, at.x);
  const y0 = Math.max(0, at.y);
  const x1 = Math.min(target.widthPx, at.x + source.widthPx, at.limitX ?? Infinity);
  const y1 = Math.min(target.heightPx, at.y + source.heightPx, at.limitY ?? Infinity);
  if (x1 <= x0 || y1 <= y0) return;

  const rowBytes = (x1 - x0) * 3;
  for (let y = y0; y < y1; y++) {
    const from = ((y - at.y) * source.widthPx + (x0 - at.x)) * 3;
    const to = (y * target.widthPx + x0) * 3;
    target.data.set(source.data.subarray(from, from + rowBytes), to);
  }
}

/** Throws the signal's reason when it has been aborted (an abort is not an error). */
export function throwIfAborted(signal?: AbortSignal): void {
  signal?.throwIfAborted();
}
