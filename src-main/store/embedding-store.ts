import type { Database } from 'better-sqlite3';
import * as cache from './embedding-cache';
import type { CachedTileEmbedding, EmbeddingCacheBatch } from './embedding-cache';
import { withStoreErrors } from './store-errors';

/**
 * The embedding cache as reached through `store.embeddings`. Tile batches can
 * also carry entries (`commitTileBatch`'s `embeddingCache`), which keeps them in
 * the same transaction as the tile results.
 */
export class EmbeddingCacheStore {
  constructor(
    private readonly db: Database,
    private readonly nowIso: () => string,
  ) {}

  /** Caches backbone outputs in one transaction. */
  put(batch: EmbeddingCacheBatch): void {
    withStoreErrors('cache the embeddings', () =>
      this.db.transaction(() => cache.putEmbeddingRows(this.db, batch, this.nowIso()))(),
    );
  }

  /** Cached outputs of the slide under `cacheKey`, by tile index; misses are absent. */
  get(query: {
    slideId: number;
    cacheKey: string;
    tileIndices?: number[];
  }): Map<number, CachedTileEmbedding> {
    return withStoreErrors('read the cached embeddings', () =>
      cache.getEmbeddingRows(this.db, query),
    );
  }

  /** Drops the slide's entries under any other key; returns how many. */
  prune(slideId: number, keepCacheKey: string): number {
    return withStoreErrors('prune the embedding cache', () =>
      cache.pruneEmbeddingRows(this.db, slideId, keepCacheKey),
    );
  }
}
