/**
 * Per-batch packing of tile counts for the whole-slide level-of-detail view:
 * one row per committed batch holding, for its T tiles, Int32 tile indices[T],
 * Float32 core rects [x, y, width, height][T] (level-0 px) and Int32 counts by
 * type [T * C]. Reading a slide's few dozen rows replaces thousands of tile rows.
 */
import type { Database } from 'better-sqlite3';
import type { Rect } from '../../src-shared/geometry';
import { cachedStatement } from './statement-cache';

/** One tile's share of a density row. */
export interface TileDensity {
  tileIndex: number;
  baseRect: Rect;
  countsByType: Int32Array;
}

/** Per-tile counts for zoomed-out views. */
export interface NucleusDensity {
  /** Count entries per tile (index 0 counts untyped nuclei). */
  classCount: number;
  tileCount: number;
  tileIndices: Int32Array;
  /** Tile cores, `[x, y, width, height]` per tile, level-0 px. */
  tileRectsBase: Float32Array;
  /** `tileCount * classCount` counts, one row per tile. */
  countsByType: Int32Array;
  totalNuclei: number;
}

const INSERT = `INSERT INTO density_batches (analysis_id, tile_count, class_count, data)
  VALUES (?, ?, ?, ?)`;
const SELECT_ALL = `SELECT tile_count, class_count, data FROM density_batches
  WHERE analysis_id = ? ORDER BY id`;

function int32View(data: Buffer): Int32Array {
  if (data.byteOffset % 4 === 0) {
    return new Int32Array(data.buffer, data.byteOffset, data.byteLength / 4);
  }
  return new Int32Array(Uint8Array.from(data).buffer);
}

/** Writes the batch's row; call inside the tile batch's transaction. */
export function insertDensityBatch(
  db: Database,
  analysisId: number,
  tiles: TileDensity[],
): void {
  if (tiles.length === 0) return;
  const classCount = tiles[0]!.countsByType.length;
  const t = tiles.length;
  const data = Buffer.alloc(4 * (t + 4 * t + t * classCount));
  const words = data.buffer as ArrayBuffer;
  const indices = new Int32Array(words, data.byteOffset, t);
  const rects = new Float32Array(words, data.byteOffset + 4 * t, 4 * t);
  const counts = new Int32Array(words, data.byteOffset + 20 * t, t * classCount);

  tiles.forEach((tile, i) => {
    indices[i] = tile.tileIndex;
    const { x, y, width, height } = tile.baseRect;
    rects.set([x, y, width, height], 4 * i);
    counts.set(tile.countsByType, i * classCount);
  });
  cachedStatement(db, INSERT).run(analysisId, t, classCount, data);
}

/** Every committed tile's counts, in commit order. */
export function readSlideDensity(db: Database, analysisId: number): NucleusDensity {
  const rows = cachedStatement(db, SELECT_ALL).raw().all(analysisId) as Array<
    [number, number, Buffer]
  >;
  const tileCount = rows.reduce((sum, row) => sum + row[0], 0);
  const classCount = rows[0]?.[1] ?? 0;
  const density: NucleusDensity = {
    classCount,
    tileCount,
    tileIndices: new Int32Array(tileCount),
    tileRectsBase: new Float32Array(4 * tileCount),
    countsByType: new Int32Array(tileCount * classCount),
    totalNuclei: 0,
  };

  let first = 0;
  for (const [t, , data] of rows) {
    const words = int32View(data);
    density.tileIndices.set(words.subarray(0, t), first);
    density.tileRectsBase.set(
      new Float32Array(words.buffer, words.byteOffset + 4 * t, 4 * t),
      4 * first,
    );
    density.countsByType.set(words.subarray(5 * t), first * classCount);
    first += t;
  }
  for (const count of density.countsByType) density.totalNuclei += count;
  return density;
}
