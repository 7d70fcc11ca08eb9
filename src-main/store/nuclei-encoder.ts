/**
 * Packs one tile's nuclei into the columnar chunk of `src-shared/nuclei-chunk`
 * and derives the tile summary (counts per type, means, bounds) in the same pass.
 */
import {
  layoutNucleiChunk,
  nucleiChunkByteLength,
  writeNucleiChunkHeader,
} from '../../src-shared/nuclei-chunk';
import { StoreError } from './store-errors';
import type { NucleusInput } from './store-types';

/** Bounding box in level-0 px. */
export interface BaseBounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** A chunk's bytes and what the tile row records about it. */
export interface EncodedTile {
  chunk: Buffer | null;
  countsByType: Int32Array;
  /** Bounds of every polygon vertex; `null` when the tile has no nuclei. */
  nucleiBounds: BaseBounds | null;
  meanNucleusProbability: number | null;
  meanNucleusEntropy: number | null;
  meanTypeEntropy: number | null;
}

/** Vertex count of a ring, without a repeated closing vertex. */
function ringVertexCount(polygonBase: ArrayLike<number>): number {
  const n = polygonBase.length >> 1;
  const isClosed =
    n > 1 &&
    polygonBase[0] === polygonBase[2 * n - 2] &&
    polygonBase[1] === polygonBase[2 * n - 1];
  return isClosed ? n - 1 : n;
}

/**
 * Encodes `nuclei`; `classCount` is the number of type classes including
 * index 0 (untyped), so `typeIndex` must be below it.
 */
export function encodeTileNuclei(
  nuclei: NucleusInput[],
  classCount: number,
): EncodedTile {
  const countsByType = new Int32Array(Math.max(classCount, 1));
  if (nuclei.length === 0) {
    return {
      chunk: null,
      countsByType,
      nucleiBounds: null,
      meanNucleusProbability: null,
      meanNucleusEntropy: null,
      meanTypeEntropy: null,
    };
  }

  let vertexCount = 0;
  for (const nucleus of nuclei) vertexCount += ringVertexCount(nucleus.polygonBase);
  const counts = { nucleusCount: nuclei.length, vertexCount, classCount };
  const chunk = Buffer.alloc(nucleiChunkByteLength(counts));
  const buffer = chunk.buffer as ArrayBuffer;
  writeNucleiChunkHeader(buffer, chunk.byteOffset, counts);

  const sums = fillChunk(
    layoutNucleiChunk(buffer, chunk.byteOffset, counts),
    nuclei,
    countsByType,
  );
  return {
    chunk,
    countsByType,
    nucleiBounds: sums.bounds,
    meanNucleusProbability: sums.probability / nuclei.length,
    meanNucleusEntropy: sums.nucleusEntropy / nuclei.length,
    meanTypeEntropy: sums.typeEntropy / nuclei.length,
  };
}

function fillChunk(
  view: ReturnType<typeof layoutNucleiChunk>,
  nuclei: NucleusInput[],
  countsByType: Int32Array,
) {
  const bounds = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  const sums = { probability: 0, nucleusEntropy: 0, typeEntropy: 0, bounds };
  let vertex = 0;

  nuclei.forEach((nucleus, i) => {
    view.vertexOffsets[i] = vertex;
    vertex = copyRing(nucleus.polygonBase, {
      target: view.polygonsBase,
      firstVertex: vertex,
      bounds,
    });
    writeAttributes(view, i, nucleus);
    countsByType[nucleus.typeIndex]! += 1;
    sums.probability += nucleus.nucleusProbability;
    sums.nucleusEntropy += nucleus.nucleusEntropy;
    sums.typeEntropy += nucleus.typeEntropy;
  });
  view.vertexOffsets[nuclei.length] = vertex;
  return sums;
}

function copyRing(
  polygonBase: ArrayLike<number>,
  into: { target: Float32Array; firstVertex: number; bounds: BaseBounds },
): number {
  const { target, firstVertex, bounds } = into;
  const n = ringVertexCount(polygonBase);
  if (n < 3)
    throw new StoreError(`a nucleus polygon has ${n} vertices; at least 3 are needed`);
  let at = 2 * firstVertex;
  for (let k = 0; k < 2 * n; k += 2) {
    const x = polygonBase[k]!;
    const y = polygonBase[k + 1]!;
    target[at++] = x;
    target[at++] = y;
    if (x < bounds.minX) bounds.minX = x;
    if (x > bounds.maxX) bounds.maxX = x;
    if (y < bounds.minY) bounds.minY = y;
    if (y > bounds.maxY) bounds.maxY = y;
  }
  return firstVertex + n;
}

function writeAttributes(
  view: ReturnType<typeof layoutNucleiChunk>,
  i: number,
  nucleus: NucleusInput,
): void {
  const classCount = view.classCount;
  if (!(nucleus.typeIndex >= 0 && nucleus.typeIndex < Math.max(classCount, 1))) {
    throw new StoreError(
      `nucleus type index ${nucleus.typeIndex} is outside the ${classCount} classes of the analysis`,
    );
  }
  view.centroidsBase[2 * i] = nucleus.centroidBaseX;
  view.centroidsBase[2 * i + 1] = nucleus.centroidBaseY;
  view.areasPx[i] = nucleus.areaPx;
  view.nucleusProbabilities[i] = nucleus.nucleusProbability;
  view.nucleusEntropies[i] = nucleus.nucleusEntropy;
  view.typeEntropies[i] = nucleus.typeEntropy;
  view.typeIndices[i] = nucleus.typeIndex;

  const probabilities = nucleus.typeProbabilities;
  const row = i * classCount;
  for (let c = 0; c < classCount && c < probabilities.length; c++) {
    view.typeProbabilities[row + c] = probabilities[c]!;
  }
}
