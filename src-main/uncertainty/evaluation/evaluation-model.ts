/**
 * Runs the bundle's real ONNX model for evaluation: batches of RGB tiles in, logits
 * and embeddings out; whole images are resampled from their scan's mpp to the
 * bundle's and covered by overlapping tiles whose logits are averaged where they
 * overlap (an image smaller than a tile is padded with white, as slides are).
 */
import { loadBundle, type LoadedBundle } from '../../inference/bundle-loader';
import { NucleiEngine } from '../../inference/engine';
import { BatchBuilder } from '../../inference/preprocess';
import type { RgbTile } from '../types';
import { ANNOTATED_TILE_MPP } from '../../evaluation/evaluate-nuclei';
import { cropOnWhite } from '../../evaluation/image-segmenter';
import { toModelGrid } from '../../evaluation/image-resampling';
import { readRgbCrop, imageSize } from './image-tiles';

const BATCH_SIZE = 8;
const STRIDE_PX = 248;

/** Model outputs of one tile (copies, channel-major `[channels, H, W]`). */
export interface TileOutputs {
  npLogits: Float32Array;
  ntLogits: Float32Array | null;
  embedding: Float32Array;
}

/** Logits of a whole image stitched from tiles, and the embedding of each tile. */
export interface ImageOutputs {
  widthPx: number;
  heightPx: number;
  npLogits: Float32Array;
  ntLogits: Float32Array | null;
  ntChannels: number;
  embeddings: Float32Array[];
  tiles: RgbTile[];
}

/** Tile origins covering `lengthPx` with tiles of `tilePx` at a fixed stride. */
export function tileOrigins(lengthPx: number, tilePx: number): number[] {
  if (lengthPx <= tilePx) return [0];
  const origins: number[] = [];
  for (let at = 0; at + tilePx < lengthPx; at += STRIDE_PX) origins.push(at);
  origins.push(lengthPx - tilePx);
  return origins;
}

/** The bundle, its verified model and a reusable batch buffer. */
export class EvaluationModel {
  private constructor(
    readonly bundle: LoadedBundle,
    private readonly engine: NucleiEngine,
    private readonly batch: BatchBuilder,
  ) {}

  /** Loads and verifies the bundle in `bundleFolder` and creates its session. */
  static async open(bundleFolder: string, threads: number): Promise<EvaluationModel> {
    const bundle = await loadBundle(bundleFolder);
    const engine = await NucleiEngine.create(bundle, { intraOpNumThreads: threads });
    const input = bundle.manifest.input;
    return new EvaluationModel(
      bundle,
      engine,
      new BatchBuilder(input.normalisation, input.tileSizePx, BATCH_SIZE),
    );
  }

  get tileSizePx(): number {
    return this.bundle.manifest.input.tileSizePx;
  }

  /** Runs the model on tiles of exactly `tileSizePx`. */
  async runTiles(tiles: readonly RgbTile[]): Promise<TileOutputs[]> {
    const outputs: TileOutputs[] = [];
    for (let start = 0; start < tiles.length; start += BATCH_SIZE) {
      const chunk = tiles.slice(start, start + BATCH_SIZE);
      chunk.forEach((tile, i) => this.batch.writeTile({ ...tile, channels: 3 }, i));
      const maps = await this.engine.run(this.batch.view(chunk.length), chunk.length);
      const planePx = maps.widthPx * maps.heightPx;
      const dim = maps.embeddingDim;
      chunk.forEach((_, i) => {
        const nt = maps.nt;
        const ntSize = maps.ntChannels * planePx;
        outputs.push({
          npLogits: maps.np.slice(i * 2 * planePx, (i + 1) * 2 * planePx),
          ntLogits: nt ? nt.slice(i * ntSize, (i + 1) * ntSize) : null,
          embedding: maps.embedding.slice(i * dim, (i + 1) * dim),
        });
      });
    }
    return outputs;
  }

  /**
   * Runs the model over a whole image scanned at `imageMpp`, resampled to the model's
   * mpp, and stitches the logits; sizes and logits are on the model's grid.
   */
  async runImage(
    imagePath: string,
    imageMpp = ANNOTATED_TILE_MPP,
  ): Promise<ImageOutputs> {
    const grid = await this.imageOnModelGrid(imagePath, imageMpp);
    const { widthPx, heightPx } = grid;
    const size = this.tileSizePx;
    const rects = tileOrigins(heightPx, size).flatMap((y) =>
      tileOrigins(widthPx, size).map((x) => ({ x, y, width: size, height: size })),
    );
    const tiles = rects.map((rect) => cropOnWhite(grid, rect));
    const outputs = await this.runTiles(tiles);
    const ntChannels = outputs[0]?.ntLogits
      ? outputs[0].ntLogits.length / (size * size)
      : 0;

    const stitched = stitch({ rects, outputs, widthPx, heightPx, ntChannels, size });
    return {
      widthPx,
      heightPx,
      ...stitched,
      ntChannels,
      embeddings: outputs.map((o) => o.embedding),
      tiles,
    };
  }

  private async imageOnModelGrid(imagePath: string, imageMpp: number): Promise<RgbTile> {
    const size = await imageSize(imagePath);
    const image = await readRgbCrop(imagePath, { x: 0, y: 0, ...toRectSize(size) });
    const { targetMpp } = this.bundle.manifest.input;
    return toModelGrid(image, { imageMpp, targetMpp, simulatedMpp: null });
  }

  /** Releases the ONNX session. */
  async close(): Promise<void> {
    await this.engine.release();
  }
}

function toRectSize(size: { widthPx: number; heightPx: number }) {
  return { width: size.widthPx, height: size.heightPx };
}

interface StitchInput {
  rects: { x: number; y: number }[];
  outputs: TileOutputs[];
  widthPx: number;
  heightPx: number;
  ntChannels: number;
  size: number;
}

function stitch(input: StitchInput): {
  npLogits: Float32Array;
  ntLogits: Float32Array | null;
} {
  const { rects, outputs, widthPx, heightPx, ntChannels, size } = input;
  const planePx = widthPx * heightPx;
  const np = new Float32Array(2 * planePx);
  const nt = ntChannels > 0 ? new Float32Array(ntChannels * planePx) : null;
  const weight = new Float32Array(planePx);

  rects.forEach((rect, t) => {
    const out = outputs[t]!;
    const rows = Math.min(size, heightPx - rect.y);
    const columns = Math.min(size, widthPx - rect.x);
    for (let y = 0; y < rows; y += 1) {
      for (let x = 0; x < columns; x += 1) {
        const source = y * size + x;
        const target = (rect.y + y) * widthPx + rect.x + x;
        weight[target]! += 1;
        for (let c = 0; c < 2; c += 1)
          np[c * planePx + target]! += out.npLogits[c * size * size + source]!;
        if (!nt || !out.ntLogits) continue;
        for (let c = 0; c < ntChannels; c += 1) {
          nt[c * planePx + target]! += out.ntLogits[c * size * size + source]!;
        }
      }
    }
  });

  for (let p = 0; p < planePx; p += 1) {
    const w = weight[p]! || 1;
    for (let c = 0; c < 2; c += 1) np[c * planePx + p]! /= w;
    if (nt) for (let c = 0; c < ntChannels; c += 1) nt[c * planePx + p]! /= w;
  }
  return { npLogits: np, ntLogits: nt };
}
