/** Reads committed tiles back in tile order: summaries, and nuclei chunks for export. */
import type { Database } from 'better-sqlite3';
import type { Rect } from '../../src-shared/geometry';
import type { TileSummary } from './store-types';

interface TileRow {
  tile_index: number;
  base_x: number;
  base_y: number;
  base_width: number;
  base_height: number;
  nucleus_count: number;
  counts_by_type: Buffer;
  mean_nucleus_probability: number | null;
  mean_nucleus_entropy: number | null;
  mean_type_entropy: number | null;
  quality_flags_json: string;
  embedding: Buffer | null;
}

function float32Copy(bytes: Buffer): Float32Array {
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return new Float32Array(copy);
}

function toSummary(row: TileRow): TileSummary {
  const counts = row.counts_by_type;
  return {
    tileIndex: row.tile_index,
    baseRect: {
      x: row.base_x,
      y: row.base_y,
      width: row.base_width,
      height: row.base_height,
    },
    nucleusCount: row.nucleus_count,
    countsByType: Array.from({ length: counts.byteLength / 4 }, (_, c) =>
      counts.readInt32LE(c * 4),
    ),
    meanNucleusProbability: row.mean_nucleus_probability,
    meanNucleusEntropy: row.mean_nucleus_entropy,
    meanTypeEntropy: row.mean_type_entropy,
    qualityFlags: JSON.parse(row.quality_flags_json) as Record<string, unknown>,
    embedding: row.embedding ? float32Copy(row.embedding) : null,
  };
}

/** Every committed tile of the analysis, in tile order. */
export function listTileSummaries(db: Database, analysisId: number): TileSummary[] {
  const rows = db
    .prepare('SELECT * FROM analysis_tiles WHERE analysis_id = ? ORDER BY tile_index')
    .all(analysisId) as TileRow[];
  return rows.map(toSummary);
}

/** One tile's nuclei chunk as stored, with its own aligned buffer. */
export interface StoredChunk {
  tileIndex: number;
  tileRectBase: Rect;
  /** Bytes in the layout of `src-shared/nuclei-chunk`, starting at offset 0. */
  buffer: ArrayBuffer;
}

const CHUNK_PAGE = `SELECT t.tile_index, t.base_x, t.base_y, t.base_width, t.base_height, c.data
  FROM analysis_tiles t JOIN nuclei_chunks c ON c.tile_id = t.id
  WHERE t.analysis_id = ? AND t.tile_index > ? ORDER BY t.tile_index LIMIT ?`;

type ChunkRow = [number, number, number, number, number, Buffer];

/**
 * Yields the analysis's chunks in tile order, a page of `pageTiles` at a time,
 * so an export of millions of nuclei holds only a few tiles in memory. No
 * statement stays open between pages, so other queries on the connection (the
 * viewer's, during an export) are never blocked.
 */
export function* iterateNucleiChunks(
  db: Database,
  analysisId: number,
  pageTiles = 32,
): IterableIterator<StoredChunk> {
  let afterTileIndex = -1;
  for (;;) {
    const rows = db
      .prepare(CHUNK_PAGE)
      .raw()
      .all(analysisId, afterTileIndex, pageTiles) as ChunkRow[];
    for (const [tileIndex, x, y, width, height, data] of rows) {
      yield {
        tileIndex,
        tileRectBase: { x, y, width, height },
        buffer: data.buffer.slice(
          data.byteOffset,
          data.byteOffset + data.byteLength,
        ) as ArrayBuffer,
      };
    }
    if (rows.length < pageTiles) return;
    afterTileIndex = rows[rows.length - 1]![0];
  }
}
