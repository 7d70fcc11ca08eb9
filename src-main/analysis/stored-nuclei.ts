/**
 * Nuclei read back from the store as plain records (level-0 pixels): for drawing a
 * region, and for comparing two analyses nucleus by nucleus.
 */
import {
  decodeNucleiChunk,
  nucleusPolygonBase,
  type NucleiChunkView,
} from '../../src-shared/nuclei-chunk';
import type { Rect } from '../../src-shared/geometry';
import type { ResultStore } from '../store/store';

/** One stored nucleus. */
export interface StoredNucleus {
  /** Flat ring `[x0, y0, x1, y1, ...]`, level-0 pixels. */
  polygonBase: Float32Array;
  centroidBaseX: number;
  centroidBaseY: number;
  /** Area in level-0 pixels squared. */
  areaPx: number;
  /** Class index of the analysis's classes; 0 when untyped. */
  typeIndex: number;
  tileIndex: number;
}

function nucleiOfChunk(chunk: NucleiChunkView, tileIndex: number): StoredNucleus[] {
  const nuclei: StoredNucleus[] = [];
  for (let i = 0; i < chunk.nucleusCount; i += 1) {
    nuclei.push({
      polygonBase: Float32Array.from(nucleusPolygonBase(chunk, i)),
      centroidBaseX: chunk.centroidsBase[2 * i]!,
      centroidBaseY: chunk.centroidsBase[2 * i + 1]!,
      areaPx: chunk.areasPx[i]!,
      typeIndex: chunk.typeIndices[i]!,
      tileIndex,
    });
  }
  return nuclei;
}

/** Nuclei whose outline's bounding box meets `baseRect` (chunks found through the R*Tree). */
export function readNucleiInRect(
  store: ResultStore,
  analysisId: number,
  baseRect: Rect,
): StoredNucleus[] {
  const found = store.queryNucleiInViewport(analysisId, baseRect);
  const nuclei: StoredNucleus[] = [];
  found.chunkByteOffsets.forEach((offset, i) => {
    const chunk = decodeNucleiChunk(found.buffer, offset, found.chunkByteLengths[i]);
    nuclei.push(...nucleiOfChunk(chunk, found.chunkTileIndices[i]!));
  });
  return nuclei.filter((nucleus) => boundsMeet(nucleus.polygonBase, baseRect));
}

function boundsMeet(polygonBase: Float32Array, baseRect: Rect): boolean {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let k = 0; k < polygonBase.length; k += 2) {
    minX = Math.min(minX, polygonBase[k]!);
    maxX = Math.max(maxX, polygonBase[k]!);
    minY = Math.min(minY, polygonBase[k + 1]!);
    maxY = Math.max(maxY, polygonBase[k + 1]!);
  }
  return (
    maxX >= baseRect.x &&
    maxY >= baseRect.y &&
    minX < baseRect.x + baseRect.width &&
    minY < baseRect.y + baseRect.height
  );
}

/** Every nucleus of the analysis, in tile order (streams chunk by chunk from the store). */
export function readAllNuclei(store: ResultStore, analysisId: number): StoredNucleus[] {
  const nuclei: StoredNucleus[] = [];
  for (const stored of store.iterateNucleiChunks(analysisId)) {
    nuclei.push(...nucleiOfChunk(decodeNucleiChunk(stored.buffer), stored.tileIndex));
  }
  return nuclei;
}
