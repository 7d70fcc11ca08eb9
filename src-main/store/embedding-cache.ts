/**
 * Backbone outputs cached per slide and tile, so re-running an analysis with new
 * heads, a new temperature or new thresholds skips the expensive backbone. The
 * key covers everything that changes the backbone's output; any change to it is
 * a different key, so stale entries are never read.
 */
import type { Database } from 'better-sqlite3';
import { canonicalSha256 } from './canonical-json';
import { decodeFloat16, encodeFloat16 } from './float16';
import { cachedStatement } from './statement-cache';

/** Everything the backbone's output depends on. */
export interface EmbeddingCacheKeyInput {
  /** sha256 of the backbone ONNX file (or of the single-graph model). */
  backboneSha256: string;
  /** Normalisation, colour handling, resampling method: whatever precedes the graph. */
  preprocessing: Record<string, unknown>;
  /** Micrometres per pixel the tiles were resampled to. */
  targetMpp: number;
  tileSizePx: number;
  overlapPx: number;
  /** Origin of the tile grid on the slide, level-0 px (usually 0, 0). */
  gridOriginBase: { x: number; y: number };
}

/** Versioned cache key: `v1:<sha256 of the canonical JSON of the input>`. */
export function computeEmbeddingCacheKey(input: EmbeddingCacheKeyInput): string {
  return `v1:${canonicalSha256(input)}`;
}

/** Backbone output of one tile. */
export interface CachedTileEmbedding {
  tileIndex: number;
  /**
   * An embedding that depends on the keyed graph alone; the analysis pipeline stores
   * the mean of the patch tokens (`src-main/analysis/tile-inference.ts`).
   */
  embedding: Float32Array;
  /** Patch tokens of two-stage bundles, `[tokenCount, tokenDim]` row-major; else `null`. */
  tokens: { values: Float32Array; tokenCount: number; tokenDim: number } | null;
}

/** Entries to write, for one slide and key. */
export interface EmbeddingCacheBatch {
  slideId: number;
  cacheKey: string;
  entries: CachedTileEmbedding[];
}

const UPSERT = `INSERT OR REPLACE INTO embedding_cache (slide_id, cache_key, tile_index,
  embedding, tokens_float16, token_count, token_dim, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

const SELECT_ONE = `SELECT * FROM embedding_cache
  WHERE slide_id = ? AND cache_key = ? AND tile_index = ?`;

function asBuffer(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

/** Writes entries; call inside the caller's transaction (tile batches do). */
export function putEmbeddingRows(
  db: Database,
  batch: EmbeddingCacheBatch,
  nowIso: string,
): void {
  const statement = cachedStatement(db, UPSERT);
  for (const entry of batch.entries) {
    const tokens = entry.tokens;
    statement.run(
      batch.slideId,
      batch.cacheKey,
      entry.tileIndex,
      asBuffer(entry.embedding),
      tokens ? asBuffer(encodeFloat16(tokens.values)) : null,
      tokens?.tokenCount ?? null,
      tokens?.tokenDim ?? null,
      nowIso,
    );
  }
}

interface EmbeddingRow {
  tile_index: number;
  embedding: Buffer;
  tokens_float16: Buffer | null;
  token_count: number | null;
  token_dim: number | null;
}

function copyAligned(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
}

function toEntry(row: EmbeddingRow): CachedTileEmbedding {
  const embedding = new Float32Array(copyAligned(row.embedding));
  if (!row.tokens_float16 || row.token_count === null || row.token_dim === null) {
    return { tileIndex: row.tile_index, embedding, tokens: null };
  }
  const values = decodeFloat16(new Uint16Array(copyAligned(row.tokens_float16)));
  return {
    tileIndex: row.tile_index,
    embedding,
    tokens: { values, tokenCount: row.token_count, tokenDim: row.token_dim },
  };
}

/**
 * Cached entries of the slide under `cacheKey`, by tile index; tiles never cached
 * are absent. Pass `tileIndices` for large slides: tokens run to megabytes a tile.
 */
export function getEmbeddingRows(
  db: Database,
  query: { slideId: number; cacheKey: string; tileIndices?: number[] },
): Map<number, CachedTileEmbedding> {
  const found = new Map<number, CachedTileEmbedding>();
  if (!query.tileIndices) {
    const rows = db
      .prepare('SELECT * FROM embedding_cache WHERE slide_id = ? AND cache_key = ?')
      .all(query.slideId, query.cacheKey) as EmbeddingRow[];
    for (const row of rows) found.set(row.tile_index, toEntry(row));
    return found;
  }

  const statement = cachedStatement(db, SELECT_ONE);
  for (const tileIndex of query.tileIndices) {
    const row = statement.get(query.slideId, query.cacheKey, tileIndex);
    if (row) found.set(tileIndex, toEntry(row as EmbeddingRow));
  }
  return found;
}

/** Deletes the slide's entries under any key other than `keepKey`; returns the count. */
export function pruneEmbeddingRows(
  db: Database,
  slideId: number,
  keepKey: string,
): number {
  return db
    .prepare('DELETE FROM embedding_cache WHERE slide_id = ? AND cache_key <> ?')
    .run(slideId, keepKey).changes;
}
