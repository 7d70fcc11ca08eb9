/**
 * Reads nuclei back: whole chunks for a viewport (handed to the viewer as one
 * transferable buffer), per-tile counts for zoomed-out views, and the nucleus
 * under a point for hover and click.
 */
import type { Database } from 'better-sqlite3';
import type { Rect } from '../../src-shared/geometry';
import {
  decodeNucleiChunk,
  nucleusPolygonBase,
  polygonContainsPoint,
  type NucleiChunkView,
} from '../../src-shared/nuclei-chunk';
import { readSlideDensity, type NucleusDensity } from './density-batches';
import { cachedStatement } from './statement-cache';

/** The chunks of every tile whose nuclei may intersect a viewport. */
export interface ViewportNuclei {
  /** Chunks laid end to end, each starting on a 4-byte boundary. */
  buffer: ArrayBuffer;
  chunkByteOffsets: number[];
  chunkByteLengths: number[];
  /** Tile index of each chunk. */
  chunkTileIndices: number[];
  /** Nuclei in all returned chunks (some may lie just outside the viewport). */
  nucleusCount: number;
}

// CROSS JOIN pins the R*Tree as the outer loop; left to itself the planner
// walks every tile of the analysis and probes the R*Tree by id, which measured
// about ten times slower on a 5,000-tile slide.
const VIEWPORT_CHUNKS = `SELECT t.tile_index, c.data FROM tile_rtree r
  CROSS JOIN analysis_tiles t ON t.id = r.id
  CROSS JOIN nuclei_chunks c ON c.tile_id = r.id
  WHERE r.min_analysis <= @analysisId AND r.max_analysis >= @analysisId
    AND r.max_x >= @minX AND r.min_x <= @maxX AND r.max_y >= @minY AND r.min_y <= @maxY
    AND +t.analysis_id = @analysisId
  ORDER BY t.tile_index`;

function rectParams(analysisId: number, baseRect: Rect): Record<string, number> {
  return {
    analysisId,
    minX: baseRect.x,
    maxX: baseRect.x + baseRect.width,
    minY: baseRect.y,
    maxY: baseRect.y + baseRect.height,
  };
}

/** Chunks of the analysis intersecting `baseRect` (level-0 px), concatenated. */
export function queryNucleiInViewport(
  db: Database,
  analysisId: number,
  baseRect: Rect,
): ViewportNuclei {
  const rows = cachedStatement(db, VIEWPORT_CHUNKS)
    .raw()
    .all(rectParams(analysisId, baseRect)) as Array<[number, Buffer]>;

  let totalBytes = 0;
  for (const [, data] of rows) totalBytes += data.byteLength;
  const bytes = new Uint8Array(totalBytes);
  const result: ViewportNuclei = {
    buffer: bytes.buffer,
    chunkByteOffsets: [],
    chunkByteLengths: [],
    chunkTileIndices: [],
    nucleusCount: 0,
  };

  let offset = 0;
  for (const [tileIndex, data] of rows) {
    bytes.set(data, offset);
    result.chunkByteOffsets.push(offset);
    result.chunkByteLengths.push(data.byteLength);
    result.chunkTileIndices.push(tileIndex);
    result.nucleusCount += data.readUInt32LE(8);
    offset += data.byteLength;
  }
  return result;
}

const DENSITY_RECT = `SELECT t.tile_index, t.base_x, t.base_y, t.base_width,
  t.base_height, t.counts_by_type FROM tile_rtree r CROSS JOIN analysis_tiles t ON t.id = r.id
  WHERE r.min_analysis <= @analysisId AND r.max_analysis >= @analysisId
    AND r.max_x >= @minX AND r.min_x <= @maxX AND r.max_y >= @minY AND r.min_y <= @maxY
    AND +t.analysis_id = @analysisId ORDER BY t.tile_index`;

type DensityRow = [number, number, number, number, number, Buffer];

/**
 * Counts per tile and type, computed at commit time: within `baseRect` (level-0
 * px; tiles in tile order) or, for `null`, over the whole slide (commit order).
 */
export function queryNucleusDensity(
  db: Database,
  analysisId: number,
  baseRect: Rect | null,
): NucleusDensity {
  if (!baseRect) return readSlideDensity(db, analysisId);
  const rows = cachedStatement(db, DENSITY_RECT)
    .raw()
    .all(rectParams(analysisId, baseRect)) as DensityRow[];

  const classCount = rows.length > 0 ? rows[0]![5].byteLength / 4 : 0;
  const density: NucleusDensity = {
    classCount,
    tileCount: rows.length,
    tileIndices: new Int32Array(rows.length),
    tileRectsBase: new Float32Array(rows.length * 4),
    countsByType: new Int32Array(rows.length * classCount),
    totalNuclei: 0,
  };
  rows.forEach((row, i) => {
    density.tileIndices[i] = row[0];
    density.tileRectsBase.set([row[1], row[2], row[3], row[4]], i * 4);
    for (let c = 0; c < classCount; c++) {
      const count = row[5].readInt32LE(c * 4);
      density.countsByType[i * classCount + c] = count;
      density.totalNuclei += count;
    }
  });
  return density;
}

/** One nucleus, decoded. Coordinates are level-0 px. */
export interface NucleusDetail {
  tileIndex: number;
  /** Position of the nucleus inside its tile's chunk. */
  indexInTile: number;
  polygonBase: Float32Array;
  centroidBase: { x: number; y: number };
  areaPx: number;
  typeIndex: number;
  typeProbabilities: Float32Array;
  nucleusProbability: number;
  nucleusEntropy: number;
  typeEntropy: number;
}

/** Decodes nucleus `index` of a chunk (copies, so the result outlives the chunk). */
export function nucleusDetail(
  chunk: NucleiChunkView,
  tileIndex: number,
  index: number,
): NucleusDetail {
  const c = chunk.classCount;
  return {
    tileIndex,
    indexInTile: index,
    polygonBase: nucleusPolygonBase(chunk, index).slice(),
    centroidBase: {
      x: chunk.centroidsBase[2 * index]!,
      y: chunk.centroidsBase[2 * index + 1]!,
    },
    areaPx: chunk.areasPx[index]!,
    typeIndex: chunk.typeIndices[index]!,
    typeProbabilities: chunk.typeProbabilities.slice(index * c, (index + 1) * c),
    nucleusProbability: chunk.nucleusProbabilities[index]!,
    nucleusEntropy: chunk.nucleusEntropies[index]!,
    typeEntropy: chunk.typeEntropies[index]!,
  };
}

/**
 * The nucleus whose polygon contains the point (level-0 px), or `null`. Where
 * polygons overlap, the smallest one wins: it is the one the user sees on top.
 */
export function nucleusAt(
  db: Database,
  analysisId: number,
  basePoint: { x: number; y: number },
): NucleusDetail | null {
  const found = queryNucleiInViewport(db, analysisId, {
    ...basePoint,
    width: 0,
    height: 0,
  });
  let best: NucleusDetail | null = null;

  found.chunkByteOffsets.forEach((offset, k) => {
    const chunk = decodeNucleiChunk(found.buffer, offset, found.chunkByteLengths[k]);
    for (let i = 0; i < chunk.nucleusCount; i++) {
      const polygon = nucleusPolygonBase(chunk, i);
      if (!polygonContainsPoint(polygon, basePoint.x, basePoint.y)) continue;
      if (best && best.areaPx <= chunk.areasPx[i]!) continue;
      best = nucleusDetail(chunk, found.chunkTileIndices[k]!, i);
    }
  });
  return best;
}
