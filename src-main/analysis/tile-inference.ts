/**
 * Inference for the analysis pipeline, with the per-tile embedding cache
 * (`store/embedding-cache.ts`) in front of the backbone of two-stage bundles.
 *
 * Two-stage bundles whose backbone yields only tokens (see
 * `NucleiEngine.canRunHeadsOnTokens`): every tile's tokens are cached under a key of
 * the backbone file, the pre-processing, the slide's mpp and the tile geometry. A
 * later analysis of the same slide with the same key (new heads, `--force`, another
 * site profile) runs the backbone only for tiles without an entry and the heads on
 * every tile. Cached tokens are stored as float16, so maps from cached tokens can
 * differ from a fresh run by half-precision rounding of the heads' input.
 *
 * Single-graph bundles: the one graph yields the maps and the embedding together,
 * and the maps are not stored, so a re-analysis must run the graph on every tile;
 * the cache could save nothing and is neither read nor written. The pooled
 * embedding is still stored with each tile's results.
 */
import type { BundleManifest } from '../../src-shared/bundle-manifest';
import { AppError } from '../../src-shared/errors';
import type { Rect } from '../../src-shared/geometry';
import type { Mpp } from '../../src-shared/slide-types';
import type { NucleiEngine, NucleiMaps, TokenBatch } from '../inference/engine';
import { createLogger } from '../logging/logger';
import {
  computeEmbeddingCacheKey,
  type CachedTileEmbedding,
} from '../store/embedding-cache';
import type { ResultStore } from '../store/store';
import { RESAMPLE_KERNEL } from './tile-reading';

const log = createLogger('analysis');

/** Where one analysis finds and keeps cached backbone outputs. */
export interface EmbeddingReuse {
  store: ResultStore;
  slideId: number;
  cacheKey: string;
}

/** One batch: normalised NCHW pixels and the grid index of the tile in each slot. */
export interface InferenceBatch {
  pixels: Float32Array;
  tileIndices: readonly number[];
}

/** What the embedding cache key of an analysis depends on besides the bundle. */
export interface CacheKeyInput {
  manifest: BundleManifest;
  /** Calibration of the slide in force (level-0 pixels). */
  mpp: Mpp;
  /** The analysed region, level-0 pixels: it fixes which pixels a tile index covers. */
  regionBase: Rect;
  /** Pyramid level the tiles are read at. */
  level: number;
  /** Version of the tiling rules (`parameters.pipelineVersion`). */
  tilingVersion: unknown;
}

/**
 * The embedding cache key of an analysis with a two-stage bundle; `null` for a
 * single-graph bundle, which does not use the cache (see the module comment).
 */
export function embeddingCacheKeyFor(input: CacheKeyInput): string | null {
  const { manifest, mpp, regionBase } = input;
  const backbone = manifest.graphs.find((graph) => graph.role === 'backbone');
  const file = manifest.files.find((entry) => entry.path === backbone?.file);
  if (manifest.stages !== 'two-stage' || !file) return null;

  return computeEmbeddingCacheKey({
    backboneSha256: file.sha256,
    preprocessing: {
      normalisation: manifest.input.normalisation,
      layout: manifest.input.layout,
      read: {
        level: input.level,
        slideMpp: { x: mpp.x, y: mpp.y },
        kernel: RESAMPLE_KERNEL,
        tilingVersion: input.tilingVersion,
      },
      regionBase,
    },
    targetMpp: manifest.input.targetMpp,
    tileSizePx: manifest.input.tileSizePx,
    overlapPx: manifest.input.recommendedOverlapPx,
    gridOriginBase: { x: regionBase.x, y: regionBase.y },
  });
}

/** Runs batches through the engine, reusing and filling the cache where it applies. */
export class TileInference {
  readonly #engine: NucleiEngine;
  readonly #cache: EmbeddingReuse | null;
  #isCacheWritable = true;
  #cachedTileCount = 0;

  /** `cache` is ignored for bundles whose maps cannot come from tokens alone. */
  constructor(engine: NucleiEngine, cache: EmbeddingReuse | null) {
    this.#engine = engine;
    this.#cache = cache && engine.canRunHeadsOnTokens ? cache : null;
  }

  /** The bundle's manifest. */
  get manifest(): BundleManifest {
    return this.#engine.manifest;
  }

  /** Tiles so far whose tokens came from the cache. */
  get cachedTileCount(): number {
    return this.#cachedTileCount;
  }

  /** Maps for every tile of the batch, in slot order. */
  async run(batch: InferenceBatch, signal?: AbortSignal): Promise<NucleiMaps> {
    const batchSize = batch.tileIndices.length;
    if (!this.#cache) return this.#engine.run(batch.pixels, batchSize, signal);

    const cached = this.#readCached(batch.tileIndices);
    const missingSlots = batch.tileIndices.flatMap((tileIndex, slot) =>
      cached.has(tileIndex) ? [] : [slot],
    );
    const fresh =
      missingSlots.length === 0
        ? null
        : await this.#engine.runBackbone(
            selectSlots(batch.pixels, missingSlots, batchSize),
            missingSlots.length,
            signal,
          );

    const tokens = mergeTokens({ tileIndices: batch.tileIndices, cached, fresh });
    const maps = await this.#engine.runHeads(tokens, signal);
    this.#cachedTileCount += batchSize - missingSlots.length;
    if (fresh)
      this.#writeCached(
        missingSlots.map((slot) => batch.tileIndices[slot]!),
        fresh,
      );
    return maps;
  }

  #readCached(tileIndices: readonly number[]): Map<number, TokenBatch> {
    const { store, slideId, cacheKey } = this.#cache!;
    try {
      const entries = store.embeddings.get({
        slideId,
        cacheKey,
        tileIndices: [...tileIndices],
      });
      return usableTokens(entries, this.#engine.manifest);
    } catch (error) {
      // A cache that cannot be read costs time, not results: run the backbone.
      log.warn('analysis.embedding-cache.read-failed', { code: errorCode(error) });
      return new Map();
    }
  }

  #writeCached(tileIndices: number[], fresh: TokenBatch): void {
    if (!this.#isCacheWritable) return;
    const { store, slideId, cacheKey } = this.#cache!;
    const perTile = fresh.tokenCount * fresh.tokenDim;
    const entries = tileIndices.map((tileIndex, k) => {
      const values = fresh.values.slice(k * perTile, (k + 1) * perTile);
      const tokens = { values, tokenCount: fresh.tokenCount, tokenDim: fresh.tokenDim };
      return { tileIndex, embedding: tokenMean(tokens), tokens };
    });
    try {
      store.embeddings.put({ slideId, cacheKey, entries });
    } catch (error) {
      // The cache only saves time: keep analysing without it for the rest of the job.
      this.#isCacheWritable = false;
      log.warn('analysis.embedding-cache.write-failed', { code: errorCode(error) });
    }
  }
}

function errorCode(error: unknown): string {
  return error instanceof AppError ? error.code : 'INTERNAL';
}

/** Entries whose tokens fit the heads' declared input; others count as misses. */
function usableTokens(
  entries: Map<number, CachedTileEmbedding>,
  manifest: BundleManifest,
): Map<number, TokenBatch> {
  const shape = manifest.graphs.find((graph) => graph.role === 'heads')?.inputs[0]?.shape;
  const fits = (declared: number | string | undefined, actual: number) =>
    typeof declared !== 'number' || declared === actual;

  const usable = new Map<number, TokenBatch>();
  for (const [tileIndex, { tokens }] of entries) {
    if (!tokens || tokens.values.length !== tokens.tokenCount * tokens.tokenDim) continue;
    if (!fits(shape?.[1], tokens.tokenCount) || !fits(shape?.[2], tokens.tokenDim))
      continue;
    usable.set(tileIndex, { batchSize: 1, ...tokens });
  }
  return usable;
}

/** The pixels of `slots` of a batch of `batchSize` tiles, packed in that order. */
function selectSlots(
  pixels: Float32Array,
  slots: readonly number[],
  batchSize: number,
): Float32Array {
  if (slots.length === batchSize) return pixels;
  const perTile = pixels.length / batchSize;
  const packed = new Float32Array(slots.length * perTile);
  slots.forEach((slot, k) =>
    packed.set(pixels.subarray(slot * perTile, (slot + 1) * perTile), k * perTile),
  );
  return packed;
}

/** Tokens of the whole batch in slot order: cached tiles' entries, the rest fresh. */
function mergeTokens(parts: {
  tileIndices: readonly number[];
  cached: Map<number, TokenBatch>;
  fresh: TokenBatch | null;
}): TokenBatch {
  const { tileIndices, cached, fresh } = parts;
  if (fresh && fresh.batchSize === tileIndices.length) return fresh;

  const first = fresh ?? cached.get(tileIndices[0]!)!;
  const perTile = first.tokenCount * first.tokenDim;
  const values = new Float32Array(tileIndices.length * perTile);
  let freshSlot = 0;
  tileIndices.forEach((tileIndex, slot) => {
    const entry = cached.get(tileIndex);
    const source = entry
      ? entry.values
      : fresh!.values.subarray(freshSlot * perTile, ++freshSlot * perTile);
    values.set(source, slot * perTile);
  });
  return { ...first, batchSize: tileIndices.length, values };
}

/**
 * Mean of one tile's patch tokens: the embedding cached with them. It depends on the
 * backbone alone, so it stays valid under the cache key when the heads change.
 */
function tokenMean(tokens: {
  values: Float32Array;
  tokenCount: number;
  tokenDim: number;
}): Float32Array {
  const { values, tokenCount, tokenDim } = tokens;
  const mean = new Float32Array(tokenDim);
  for (let d = 0; d < tokenDim; d++) {
    let sum = 0;
    for (let t = 0; t < tokenCount; t++) sum += values[t * tokenDim + d]!;
    mean[d] = sum / tokenCount;
  }
  return mean;
}
