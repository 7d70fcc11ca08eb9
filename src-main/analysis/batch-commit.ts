/**
 * Writes one batch of finished tiles: nuclei and tile rows through the store, the
 * resolution of nuclei that the batch and the tiles around it both offer at a seam,
 * and each tile's uncertainty row, in one SQLite transaction. A resumed analysis
 * thus finds either all or none of it for every tile.
 */
import { rectContains, type Rect } from '../../src-shared/geometry';
import { compareNucleusPosition } from '../store/seam-outlines';
import { resolveSeams } from '../store/seam-resolution';
import type { ResultStore } from '../store/store';
import { toStoreError } from '../store/store-errors';
import type { NucleusInput, TileResultInput } from '../store/store-types';
import { saveTileUncertainty } from '../uncertainty/triage-store';
import type { TileUncertainty } from '../uncertainty/types';

/** One finished tile, ready to commit. */
export interface FinishedTile {
  result: TileResultInput;
  /** `null` when triage is not available for the analysis. */
  uncertainty: TileUncertainty | null;
}

/**
 * Commits the batch and returns the change in stored nuclei: the batch's nuclei
 * less those given up at seams, in the batch or in tiles committed before. Throws
 * `STORE_DISK_FULL`, `STORE_LOCKED` or `STORE_FAILED` with the batch rolled back and
 * earlier batches untouched.
 */
export function commitFinishedBatch(
  store: ResultStore,
  analysisId: number,
  tiles: FinishedTile[],
): { nucleusCount: number } {
  const write = store.db.transaction(() => {
    const regionBase = analysedRegion(store, analysisId);
    const summary = store.commitTileBatch(
      analysisId,
      tiles.map((tile) => toStoredResult(tile.result, regionBase)),
    );
    const seams = resolveSeams(store.db, {
      analysisId,
      tileIndices: tiles.map((tile) => tile.result.tileIndex),
    });
    for (const tile of tiles) {
      if (tile.uncertainty) saveTileUncertainty(store.db, analysisId, tile.uncertainty);
    }
    return { nucleusCount: summary.nucleusCount + seams.shownCountChange };
  });

  try {
    return write.immediate();
  } catch (error) {
    throw toStoreError(error, 'save the tile results');
  }
}

/**
 * The tile's result as stored: nuclei in position order (the order seam resolution
 * writes, so a chunk never depends on commit order), without the nuclei offered past
 * the core whose centroid lies outside the analysed region, where no tile competes
 * for them. Without a recorded region, every nucleus outside the core is dropped.
 */
function toStoredResult(
  result: TileResultInput,
  regionBase: Rect | null,
): TileResultInput {
  const isInside = (nucleus: NucleusInput) => {
    const centroid = { x: nucleus.centroidBaseX, y: nucleus.centroidBaseY };
    if (rectContains(result.baseRect, centroid)) return true;
    return regionBase !== null && rectContains(regionBase, centroid);
  };
  const nuclei = result.nuclei.filter(isInside).sort(compareNucleusPosition);
  return { ...result, nuclei };
}

/** The analysed region recorded in the analysis's parameters, level-0 px, or `null`. */
function analysedRegion(store: ResultStore, analysisId: number): Rect | null {
  const region = store.getAnalysis(analysisId).parameters['regionBase'];
  if (typeof region !== 'object' || region === null) return null;
  const { x, y, width, height } = region as Partial<Record<keyof Rect, unknown>>;
  if (![x, y, width, height].every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return null;
  }
  return { x, y, width, height } as Rect;
}
