/**
 * Writes a batch of finished tiles (tile rows, nuclei chunks, R*Tree entries and
 * cached embeddings) in one transaction: the unit an interrupted analysis
 * resumes from. Either the whole batch is in the database or none of it is. The
 * same transaction refreshes the heartbeat of the run's claim on the analysis.
 */
import type { Database } from 'better-sqlite3';
import { claimHolder, refreshClaim, type Claimant } from './analysis-claims';
import { insertDensityBatch } from './density-batches';
import { putEmbeddingRows, type EmbeddingCacheBatch } from './embedding-cache';
import { encodeTileNuclei, type BaseBounds, type EncodedTile } from './nuclei-encoder';
import { cachedStatement } from './statement-cache';
import { AnalysisTakenOverError, StoreError } from './store-errors';
import type { TileResultInput } from './store-types';

/** What a committed batch added. */
export interface CommitSummary {
  tileCount: number;
  nucleusCount: number;
}

const INSERT_TILE = `INSERT INTO analysis_tiles (analysis_id, tile_index, base_x, base_y,
  base_width, base_height, nucleus_count, counts_by_type, mean_nucleus_probability,
  mean_nucleus_entropy, mean_type_entropy, quality_flags_json, embedding, committed_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_CHUNK =
  'INSERT INTO nuclei_chunks (tile_id, analysis_id, data) VALUES (?, ?, ?)';
const INSERT_RTREE = 'INSERT INTO tile_rtree VALUES (?, ?, ?, ?, ?, ?, ?)';
const BUMP_ANALYSIS = `UPDATE analyses SET committed_tile_count = committed_tile_count + ?,
  nucleus_count = nucleus_count + ? WHERE id = ? AND status = 'running'`;
const FIND_TILE = 'SELECT 1 FROM analysis_tiles WHERE analysis_id = ? AND tile_index = ?';

/** Options of {@link commitTiles}. */
export interface CommitTilesOptions {
  analysisId: number;
  /** Entries of the type-probability rows: classes + 1 (index 0 untyped), 0 when untyped. */
  classCount: number;
  tiles: TileResultInput[];
  embeddingCache?: EmbeddingCacheBatch;
  /** The process committing; its claim's heartbeat moves to `nowIso`. */
  claimant: Claimant;
  nowIso: string;
}

/** Encodes then commits the batch; encoding happens before the write lock is taken. */
export function commitTiles(db: Database, options: CommitTilesOptions): CommitSummary {
  const encoded = options.tiles.map((tile) =>
    encodeTileNuclei(tile.nuclei, options.classCount),
  );
  const write = db.transaction(() => writeBatch(db, options, encoded));
  return write.immediate();
}

function writeBatch(
  db: Database,
  options: CommitTilesOptions,
  encoded: EncodedTile[],
): CommitSummary {
  assertStillHeld(db, options);
  let nucleusCount = 0;
  options.tiles.forEach((tile, i) => {
    assertNotCommitted(db, options.analysisId, tile.tileIndex);
    writeTile(db, {
      analysisId: options.analysisId,
      tile,
      encoded: encoded[i]!,
      nowIso: options.nowIso,
    });
    nucleusCount += tile.nuclei.length;
  });
  insertDensityBatch(
    db,
    options.analysisId,
    options.tiles.map((tile, i) => ({
      tileIndex: tile.tileIndex,
      baseRect: tile.baseRect,
      countsByType: encoded[i]!.countsByType,
    })),
  );
  if (options.embeddingCache)
    putEmbeddingRows(db, options.embeddingCache, options.nowIso);

  const bumped = cachedStatement(db, BUMP_ANALYSIS).run(
    options.tiles.length,
    nucleusCount,
    options.analysisId,
  );
  if (bumped.changes !== 1) {
    throw new StoreError(
      `Analysis ${options.analysisId} is not running; its tile results cannot change.`,
    );
  }
  return { tileCount: options.tiles.length, nucleusCount };
}

/** Refreshes the claim; throws when another process took the analysis over. */
function assertStillHeld(db: Database, options: CommitTilesOptions): void {
  const { analysisId, claimant, nowIso } = options;
  const other = refreshClaim(db, { analysisId, claimant, nowIso });
  if (other) throw new AnalysisTakenOverError(claimHolder(other, claimant.host));
}

function assertNotCommitted(db: Database, analysisId: number, tileIndex: number): void {
  if (cachedStatement(db, FIND_TILE).get(analysisId, tileIndex)) {
    throw new StoreError(
      `Tile ${tileIndex} of analysis ${analysisId} is already committed; ` +
        'resume from the pending tiles only.',
    );
  }
}

function float32Bytes(values: Float32Array | null): Buffer | null {
  return values ? Buffer.from(values.buffer, values.byteOffset, values.byteLength) : null;
}

function writeTile(
  db: Database,
  row: {
    analysisId: number;
    tile: TileResultInput;
    encoded: EncodedTile;
    nowIso: string;
  },
): void {
  const { analysisId, tile, encoded } = row;
  const rect = tile.baseRect;
  const inserted = cachedStatement(db, INSERT_TILE).run(
    [analysisId, tile.tileIndex, rect.x, rect.y, rect.width, rect.height],
    tile.nuclei.length,
    Buffer.from(encoded.countsByType.buffer),
    [encoded.meanNucleusProbability, encoded.meanNucleusEntropy, encoded.meanTypeEntropy],
    JSON.stringify(tile.qualityFlags),
    float32Bytes(tile.embedding),
    row.nowIso,
  );
  const tileId = Number(inserted.lastInsertRowid);

  if (encoded.chunk)
    cachedStatement(db, INSERT_CHUNK).run(tileId, analysisId, encoded.chunk);
  const box = unionBounds(rect, encoded.nucleiBounds);
  const rtree = cachedStatement(db, INSERT_RTREE);
  rtree.run(tileId, analysisId, analysisId, box.minX, box.maxX, box.minY, box.maxY);
}

function unionBounds(
  rect: TileResultInput['baseRect'],
  nucleiBounds: BaseBounds | null,
): BaseBounds {
  const core = {
    minX: rect.x,
    minY: rect.y,
    maxX: rect.x + rect.width,
    maxY: rect.y + rect.height,
  };
  if (!nucleiBounds) return core;
  return {
    minX: Math.min(core.minX, nucleiBounds.minX),
    minY: Math.min(core.minY, nucleiBounds.minY),
    maxX: Math.max(core.maxX, nucleiBounds.maxX),
    maxY: Math.max(core.maxY, nucleiBounds.maxY),
  };
}
