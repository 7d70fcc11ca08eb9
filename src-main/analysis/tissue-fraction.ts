/**
 * Fraction of a level-0 rectangle covered by tissue, from the low-resolution tissue
 * mask, in constant time per query (summed-area table).
 */
import type { Rect } from '../../src-shared/geometry';
import type { GridTissueMask } from '../../src-shared/tile-grid';

/** Answers "how much of this rectangle is tissue" for one slide's mask. */
export class TissueCoverage {
  readonly #mask: GridTissueMask;
  readonly #sums: Float64Array;
  readonly #maskPerBaseX: number;
  readonly #maskPerBaseY: number;

  constructor(mask: GridTissueMask, slideSizePx: { widthPx: number; heightPx: number }) {
    this.#mask = mask;
    this.#sums = summedArea(mask);
    this.#maskPerBaseX = mask.widthPx / slideSizePx.widthPx;
    this.#maskPerBaseY = mask.heightPx / slideSizePx.heightPx;
  }

  /** Tissue fraction (0 to 1) of `baseRect`; mask pixels partly inside count whole. */
  fractionOf(baseRect: Rect): number {
    const { widthPx, heightPx } = this.#mask;
    const clamp = (v: number, max: number) => Math.min(max, Math.max(0, v));
    const x0 = clamp(Math.floor(baseRect.x * this.#maskPerBaseX), widthPx);
    const y0 = clamp(Math.floor(baseRect.y * this.#maskPerBaseY), heightPx);
    const x1 = clamp(
      Math.ceil((baseRect.x + baseRect.width) * this.#maskPerBaseX),
      widthPx,
    );
    const y1 = clamp(
      Math.ceil((baseRect.y + baseRect.height) * this.#maskPerBaseY),
      heightPx,
    );
    const area = (x1 - x0) * (y1 - y0);
    if (area <= 0) return 0;

    const w = widthPx + 1;
    const s = this.#sums;
    const count =
      (s[y1 * w + x1] ?? 0) -
      (s[y0 * w + x1] ?? 0) -
      (s[y1 * w + x0] ?? 0) +
      (s[y0 * w + x0] ?? 0);
    return count / area;
  }
}

function summedArea(mask: GridTissueMask): Float64Array {
  const w = mask.widthPx + 1;
  const sums = new Float64Array(w * (mask.heightPx + 1));
  for (let y = 0; y < mask.heightPx; y += 1) {
    let rowSum = 0;
    for (let x = 0; x < mask.widthPx; x += 1) {
      rowSum += mask.data[y * mask.widthPx + x] ? 1 : 0;
      sums[(y + 1) * w + x + 1] = (sums[y * w + x + 1] ?? 0) + rowSum;
    }
  }
  return sums;
}

/** A mask that calls everything tissue (tissue filter disabled). */
export function fullTissueMask(): GridTissueMask {
  return { widthPx: 1, heightPx: 1, data: new Uint8Array([1]) };
}
