/**
 * Rewrites a committed tile after seam resolution: its shown and given-up chunks,
 * each in position order, and everything derived from the shown nuclei (the tile
 * row's counts and means, the tile's entry in its density batch, the analysis's
 * nucleus count). The R*Tree box is left as it is: it still bounds every outline
 * the tile owned.
 */
import type { Database } from 'better-sqlite3';
import { encodeTileNuclei, type EncodedTile } from './nuclei-encoder';
import { compareNucleusPosition, type Outline } from './seam-outlines';
import type { SeamTile } from './seam-tiles';
import { cachedStatement } from './statement-cache';
import { StoreError } from './store-errors';

const UPSERT_CHUNK = `INSERT INTO nuclei_chunks (tile_id, analysis_id, data) VALUES (?, ?, ?)
  ON CONFLICT (tile_id) DO UPDATE SET data = excluded.data`;
const DELETE_CHUNK = 'DELETE FROM nuclei_chunks WHERE tile_id = ?';
const UPSERT_SUPPRESSED = `INSERT INTO seam_suppressed_nuclei (tile_id, analysis_id, data)
  VALUES (?, ?, ?) ON CONFLICT (tile_id) DO UPDATE SET data = excluded.data`;
const DELETE_SUPPRESSED = 'DELETE FROM seam_suppressed_nuclei WHERE tile_id = ?';
const UPDATE_TILE = `UPDATE analysis_tiles SET nucleus_count = ?, counts_by_type = ?,
  mean_nucleus_probability = ?, mean_nucleus_entropy = ?, mean_type_entropy = ?
  WHERE id = ?`;
const DENSITY_ROWS = `SELECT id, tile_count, class_count, data FROM density_batches
  WHERE analysis_id = ? ORDER BY id DESC`;
const UPDATE_DENSITY = 'UPDATE density_batches SET data = ? WHERE id = ?';
const CHANGE_ANALYSIS_COUNT = `UPDATE analyses SET nucleus_count = nucleus_count + ?
  WHERE id = ?`;

/** A tile and the decided outlines of all its nuclei. */
export interface DecidedTile {
  analysisId: number;
  tile: SeamTile;
  outlines: readonly Outline[];
}

/** Writes the tile as decided; returns shown nuclei after less shown before. */
export function rewriteTileOutlines(db: Database, decided: DecidedTile): number {
  const { tile, analysisId } = decided;
  const inOrder = (isKept: boolean) =>
    decided.outlines
      .filter((outline) => outline.isKept === isKept)
      .map((outline) => outline.nucleus)
      .sort(compareNucleusPosition);
  const shown = inOrder(true);
  const classCount = (tile.kept ?? tile.suppressed)?.classCount ?? 0;
  const encoded = encodeTileNuclei(shown, classCount);
  const givenUp = encodeTileNuclei(inOrder(false), classCount).chunk;

  const target = { analysisId, tileId: tile.id };
  writeChunk(db, { ...target, sql: [UPSERT_CHUNK, DELETE_CHUNK], chunk: encoded.chunk });
  writeChunk(db, {
    ...target,
    sql: [UPSERT_SUPPRESSED, DELETE_SUPPRESSED],
    chunk: givenUp,
  });
  updateTileRow(db, { tileId: tile.id, count: shown.length, encoded });
  updateDensityCounts(db, { analysisId, tileIndex: tile.tileIndex, encoded });

  const change = shown.length - (tile.kept?.nucleusCount ?? 0);
  cachedStatement(db, CHANGE_ANALYSIS_COUNT).run(change, analysisId);
  return change;
}

/** Upserts the chunk row, or deletes it when there is no chunk. */
function writeChunk(
  db: Database,
  write: {
    analysisId: number;
    tileId: number;
    sql: [string, string];
    chunk: Buffer | null;
  },
): void {
  const { tileId, chunk } = write;
  const [upsert, remove] = write.sql;
  if (chunk) cachedStatement(db, upsert).run(tileId, write.analysisId, chunk);
  else cachedStatement(db, remove).run(tileId);
}

function updateTileRow(
  db: Database,
  row: { tileId: number; count: number; encoded: EncodedTile },
): void {
  const { encoded } = row;
  cachedStatement(db, UPDATE_TILE).run(
    row.count,
    Buffer.from(encoded.countsByType.buffer),
    encoded.meanNucleusProbability,
    encoded.meanNucleusEntropy,
    encoded.meanTypeEntropy,
    row.tileId,
  );
}

/** Rewrites the tile's counts in the density batch that holds it. */
function updateDensityCounts(
  db: Database,
  at: { analysisId: number; tileIndex: number; encoded: EncodedTile },
): void {
  const found = findDensityEntry(db, at);
  if (!found)
    throw new StoreError(`Tile ${at.tileIndex} has no density batch to update.`);

  const { words, tileCount, classCount, position } = found;
  const counts = at.encoded.countsByType.subarray(0, classCount);
  words.set(counts, 5 * tileCount + position * classCount);
  cachedStatement(db, UPDATE_DENSITY).run(Buffer.from(words.buffer), found.id);
}

/**
 * The density batch row holding the tile, as a copy of its words. Batches are
 * searched newest first: a tile's neighbours were mostly committed shortly before it.
 */
function findDensityEntry(
  db: Database,
  at: { analysisId: number; tileIndex: number },
): {
  id: number;
  words: Int32Array;
  tileCount: number;
  classCount: number;
  position: number;
} | null {
  const rows = cachedStatement(db, DENSITY_ROWS)
    .raw()
    .iterate(at.analysisId) as IterableIterator<[number, number, number, Buffer]>;
  for (const [id, tileCount, classCount, data] of rows) {
    const words = new Int32Array(Uint8Array.from(data).buffer);
    const position = words.subarray(0, tileCount).indexOf(at.tileIndex);
    if (position >= 0) return { id, words, tileCount, classCount, position };
  }
  return null;
}
