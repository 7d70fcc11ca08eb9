/**
 * Turns 8-bit RGB tiles into the normalised float32 NCHW batch a bundle expects:
 * `(pixel / 255 - mean[c]) / std[c]`, channels in RGB order.
 */
import type { BundleManifest } from '../../src-shared/bundle-manifest';
import { InferenceFailedError } from './bundle-errors';

/** One tile: interleaved 8-bit pixels (RGB, or RGBA whose alpha is ignored). */
export interface TilePixels {
  data: Uint8Array;
  widthPx: number;
  heightPx: number;
  /** 3 for RGB, 4 for RGBA. */
  channels: 3 | 4;
}

/**
 * Fills a reusable batch buffer. Each call writes tile `index` of the batch; the
 * buffer is allocated once for `maxBatchSize` tiles and reused for every batch.
 */
export class BatchBuilder {
  readonly tileSizePx: number;
  readonly buffer: Float32Array;
  /** Per channel: value of each 0..255 level after normalisation (a lookup beats a divide). */
  private readonly lookup: Float32Array[];

  constructor(
    normalisation: BundleManifest['input']['normalisation'],
    tileSizePx: number,
    maxBatchSize: number,
  ) {
    this.tileSizePx = tileSizePx;
    this.buffer = new Float32Array(maxBatchSize * 3 * tileSizePx * tileSizePx);
    this.lookup = [0, 1, 2].map((c) =>
      buildLookup(normalisation.mean[c] ?? 0, normalisation.std[c] ?? 1),
    );
  }

  /** Writes `tile` at position `index` of the batch. */
  writeTile(tile: TilePixels, index: number): void {
    const size = this.tileSizePx;
    if (tile.widthPx !== size || tile.heightPx !== size) {
      throw new InferenceFailedError(
        `Tiles must be ${size}x${size}; got ${tile.widthPx}x${tile.heightPx}.`,
      );
    }
    const planePx = size * size;
    const offset = index * 3 * planePx;
    if (
      offset + 3 * planePx > this.buffer.length ||
      tile.data.length < planePx * tile.channels
    ) {
      throw new InferenceFailedError(
        `Tile ${index} does not fit the batch or is truncated.`,
      );
    }

    const [red, green, blue] = this.lookup as [Float32Array, Float32Array, Float32Array];
    const { data, channels } = tile;
    const out = this.buffer;
    for (let p = 0, s = 0; p < planePx; p += 1, s += channels) {
      out[offset + p] = red[data[s] as number] as number;
      out[offset + planePx + p] = green[data[s + 1] as number] as number;
      out[offset + 2 * planePx + p] = blue[data[s + 2] as number] as number;
    }
  }

  /** A view of the first `batchSize` tiles, ready for `NucleiEngine.run`. */
  view(batchSize: number): Float32Array {
    return this.buffer.subarray(0, batchSize * 3 * this.tileSizePx * this.tileSizePx);
  }
}

function buildLookup(mean: number, std: number): Float32Array {
  const lookup = new Float32Array(256);
  for (let level = 0; level < 256; level += 1) lookup[level] = (level / 255 - mean) / std;
  return lookup;
}
