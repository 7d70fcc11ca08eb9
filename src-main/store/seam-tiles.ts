/**
 * Reads what seam resolution compares: committed tiles of an analysis with their
 * core, R*Tree box, shown nuclei and the nuclei they gave up at a seam.
 */
import type { Database } from 'better-sqlite3';
import type { Rect } from '../../src-shared/geometry';
import { decodeNucleiChunk, type NucleiChunkView } from '../../src-shared/nuclei-chunk';
import type { BaseBounds } from './nuclei-encoder';
import { cachedStatement } from './statement-cache';

/** A committed tile as seam resolution sees it; coordinates are level-0 px. */
export interface SeamTile {
  /** Row id in `analysis_tiles` (and the R*Tree). */
  id: number;
  tileIndex: number;
  coreBaseRect: Rect;
  /** The R*Tree box: the core and every nucleus the tile owned. */
  box: BaseBounds;
  /** The nuclei shown; `null` when there are none. */
  kept: NucleiChunkView | null;
  /** The nuclei given up at a seam; `null` when there are none. */
  suppressed: NucleiChunkView | null;
}

const SELECT_COLUMNS = `SELECT t.id, t.tile_index, t.base_x, t.base_y, t.base_width,
  t.base_height, r.min_x, r.max_x, r.min_y, r.max_y, c.data, s.data`;
const JOINS = `LEFT JOIN nuclei_chunks c ON c.tile_id = t.id
  LEFT JOIN seam_suppressed_nuclei s ON s.tile_id = t.id`;

const TILE_BY_INDEX = `${SELECT_COLUMNS} FROM analysis_tiles t
  JOIN tile_rtree r ON r.id = t.id ${JOINS}
  WHERE t.analysis_id = @analysisId AND t.tile_index = @tileIndex`;

// CROSS JOIN keeps the R*Tree as the outer loop, as in the viewport query.
const TILES_IN_BOX = `${SELECT_COLUMNS} FROM tile_rtree r
  CROSS JOIN analysis_tiles t ON t.id = r.id ${JOINS}
  WHERE r.min_analysis <= @analysisId AND r.max_analysis >= @analysisId
    AND r.max_x >= @minX AND r.min_x <= @maxX AND r.max_y >= @minY AND r.min_y <= @maxY
    AND +t.analysis_id = @analysisId`;

type SeamRow = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  Buffer | null,
  Buffer | null,
];

/** Copies the blob into its own aligned buffer and decodes it. */
function decodeBlob(data: Buffer | null): NucleiChunkView | null {
  if (!data) return null;
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  return decodeNucleiChunk(copy.buffer);
}

function toSeamTile(row: SeamRow): SeamTile {
  const [id, tileIndex, x, y, width, height, minX, maxX, minY, maxY] = row;
  return {
    id,
    tileIndex,
    coreBaseRect: { x, y, width, height },
    box: { minX, minY, maxX, maxY },
    kept: decodeBlob(row[10]),
    suppressed: decodeBlob(row[11]),
  };
}

/** The committed tile `tileIndex` of the analysis; throws when it is not committed. */
export function readSeamTile(
  db: Database,
  analysisId: number,
  tileIndex: number,
): SeamTile {
  const row = cachedStatement(db, TILE_BY_INDEX).raw().get({ analysisId, tileIndex }) as
    SeamRow | undefined;
  if (!row) {
    throw new RangeError(`Tile ${tileIndex} of analysis ${analysisId} is not committed.`);
  }
  return toSeamTile(row);
}

/** Committed tiles of the analysis whose R*Tree box meets `box` (level-0 px). */
export function readTilesMeeting(
  db: Database,
  analysisId: number,
  box: BaseBounds,
): SeamTile[] {
  const rows = cachedStatement(db, TILES_IN_BOX)
    .raw()
    .all({ analysisId, ...box }) as SeamRow[];
  return rows.map(toSeamTile);
}
