/**
 * The app's nuclei pipeline applied to one whole in-memory image at the bundle's
 * target mpp: the analysis tile grid (the bundle's tile size and recommended
 * overlap), the same pre-processing and model, maps pasted by the core-ownership
 * rule, and ONE post-processing pass over the stitched maps.
 */
import { buildTileGrid } from '../../src-shared/tile-grid';
import { createMapCanvas, stitchTileMaps } from '../analysis/stitched-maps';
import { loadBundle, type LoadedBundle } from '../inference/bundle-loader';
import { NucleiEngine } from '../inference/engine';
import { BatchBuilder } from '../inference/preprocess';
import { NucleusExtractor } from '../nuclei/nucleus-extractor';
import type { RgbImage } from '../slides/slide-reader';
import type { Rect } from '../../src-shared/geometry';

/** Tiles per model run. */
export const SEGMENTER_BATCH_SIZE = 8;

/** What the pipeline found in one image, image pixels. */
export interface ImageSegmentation {
  widthPx: number;
  heightPx: number;
  /** Instance label per pixel, 0 background; exactly what post-processing segmented. */
  labels: Int32Array;
  /** Class index of label k at `k - 1`; `null` entries when the bundle has no types. */
  classOfLabel: (number | null)[];
  tileCount: number;
  modelMs: number;
  postprocessMs: number;
}

/** A loaded bundle ready to segment images; call `close()` when done. */
export class ImageSegmenter {
  readonly bundle: LoadedBundle;
  private readonly engine: NucleiEngine;
  private readonly builder: BatchBuilder;
  private readonly extractor: NucleusExtractor;

  private constructor(parts: {
    bundle: LoadedBundle;
    engine: NucleiEngine;
    builder: BatchBuilder;
    extractor: NucleusExtractor;
  }) {
    this.bundle = parts.bundle;
    this.engine = parts.engine;
    this.builder = parts.builder;
    this.extractor = parts.extractor;
  }

  /** Loads and verifies the bundle in `bundleFolder` and creates its session. */
  static async open(options: {
    bundleFolder: string;
    threads: number;
  }): Promise<ImageSegmenter> {
    const bundle = await loadBundle(options.bundleFolder);
    const { manifest, calibration } = bundle;
    const engine = await NucleiEngine.create(bundle, {
      intraOpNumThreads: options.threads,
    });
    const { normalisation, tileSizePx } = manifest.input;
    const extractor = await NucleusExtractor.create({
      params: manifest.postprocessing,
      npTemperature: calibration.temperature.np,
      ntTemperature: calibration.temperature.nt,
    });
    const builder = new BatchBuilder(normalisation, tileSizePx, SEGMENTER_BATCH_SIZE);
    return new ImageSegmenter({ bundle, engine, builder, extractor });
  }

  /** Segments `image`, which must already be at the bundle's target mpp. */
  async segment(image: RgbImage): Promise<ImageSegmentation> {
    const { manifest } = this.bundle;
    const { tileSizePx, recommendedOverlapPx, targetMpp } = manifest.input;
    const grid = buildTileGrid(
      {
        widthPx: image.widthPx,
        heightPx: image.heightPx,
        levelDownsamples: [1],
        mppX: targetMpp,
      },
      { targetMpp, tileSizePx, overlapPx: recommendedOverlapPx },
    );
    const canvas = createMapCanvas({
      regionBase: { x: 0, y: 0, width: image.widthPx, height: image.heightPx },
      basePerPx: 1,
      ntChannels: manifest.outputs.nt ? manifest.nucleusClasses.length + 1 : 0,
    });
    const { modelMs } = await stitchTileMaps(canvas, {
      engine: this.engine,
      builder: this.builder,
      tiles: grid.tiles,
      readTile: async (tile) => ({
        rgb: cropOnWhite(image, tile.baseRect),
        basePerTilePx: 1,
      }),
    });

    const startedMs = performance.now();
    const { labels, nuclei, widthPx, heightPx } = this.extractor.extract(canvas.maps);
    return {
      widthPx,
      heightPx,
      labels,
      classOfLabel: nuclei.map((nucleus) => nucleus.classIndex),
      tileCount: grid.tiles.length,
      modelMs,
      postprocessMs: performance.now() - startedMs,
    };
  }

  /** Releases the ONNX session. */
  async close(): Promise<void> {
    await this.engine.release();
  }
}

/** `rect` of `image`; pixels outside the image are white, as the slide reader pads. */
export function cropOnWhite(image: RgbImage, rect: Rect): RgbImage {
  const data = new Uint8Array(rect.width * rect.height * 3).fill(255);
  const x0 = Math.max(0, rect.x);
  const x1 = Math.min(image.widthPx, rect.x + rect.width);
  for (
    let y = Math.max(0, rect.y);
    y < Math.min(image.heightPx, rect.y + rect.height);
    y += 1
  ) {
    if (x1 <= x0) break;
    const from = (y * image.widthPx + x0) * 3;
    const to = ((y - rect.y) * rect.width + (x0 - rect.x)) * 3;
    data.set(image.data.subarray(from, from + (x1 - x0) * 3), to);
  }
  return { data, widthPx: rect.width, heightPx: rect.height };
}
