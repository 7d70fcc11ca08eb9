/**
 * Writes one batch of finished tiles: nuclei and tile rows through the store, and
 * each tile's uncertainty row, in one SQLite transaction. A resumed analysis thus
 * finds either both or neither for every tile.
 */
import type { ResultStore } from '../store/store';
import { toStoreError } from '../store/store-errors';
import type { TileResultInput } from '../store/store-types';
import { saveTileUncertainty } from '../uncertainty/triage-store';
import type { TileUncertainty } from '../uncertainty/types';

/** One finished tile, ready to commit. */
export interface FinishedTile {
  result: TileResultInput;
  /** `null` when triage is not available for the analysis. */
  uncertainty: TileUncertainty | null;
}

/**
 * Commits the batch; throws `STORE_DISK_FULL`, `STORE_LOCKED` or `STORE_FAILED`
 * with the batch rolled back and earlier batches untouched.
 */
export function commitFinishedBatch(
  store: ResultStore,
  analysisId: number,
  tiles: FinishedTile[],
): { nucleusCount: number } {
  const write = store.db.transaction(() => {
    const summary = store.commitTileBatch(
      analysisId,
      tiles.map((tile) => tile.result),
    );
    for (const tile of tiles) {
      if (tile.uncertainty) saveTileUncertainty(store.db, analysisId, tile.uncertainty);
    }
    return summary;
  });

  try {
    return write.immediate();
  } catch (error) {
    throw toStoreError(error, 'save the tile results');
  }
}
