import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Rect } from '../../../src-shared/geometry';
import { decodeNucleiChunk } from '../../../src-shared/nuclei-chunk';
import { resolveSeams } from '../../../src-main/store/seam-resolution';
import type { ResultStore } from '../../../src-main/store/store';
import type { NucleusInput, TileResultInput } from '../../../src-main/store/store-types';
import { makeStore, seedAnalysis } from './store-fixtures';

let store: ResultStore;
let cleanup: () => void;
let analysisId: number;

beforeEach(() => {
  ({ store, cleanup } = makeStore());
  analysisId = seedAnalysis(store).analysis.id;
});
afterEach(() => cleanup());

/** Cores of a 2 x 2 grid of 100 px tiles: 0 top left, 1 top right, 2 bottom left. */
const CORES: Record<number, Rect> = {
  0: { x: 0, y: 0, width: 100, height: 100 },
  1: { x: 100, y: 0, width: 100, height: 100 },
  2: { x: 0, y: 100, width: 100, height: 100 },
};

/** A square nucleus centred on (x, y) with half-side `half`, level-0 px. */
function square(x: number, y: number, half: number): NucleusInput {
  return {
    polygonBase: [
      x - half,
      y - half,
      x + half,
      y - half,
      x + half,
      y + half,
      x - half,
      y + half,
    ],
    centroidBaseX: x,
    centroidBaseY: y,
    areaPx: 4 * half * half,
    typeIndex: 1,
    typeProbabilities: [0, 1, 0, 0, 0, 0],
    nucleusProbability: 0.9,
    nucleusEntropy: 0.1,
    typeEntropy: 0.2,
  };
}

function tile(tileIndex: number, nuclei: NucleusInput[]): TileResultInput {
  return {
    tileIndex,
    baseRect: CORES[tileIndex]!,
    nuclei,
    qualityFlags: {},
    embedding: null,
  };
}

/** Commits one batch and resolves its seams, as an analysis does. */
function commitBatch(tiles: TileResultInput[]): void {
  store.db.transaction(() => {
    store.commitTileBatch(analysisId, tiles);
    resolveSeams(store.db, { analysisId, tileIndices: tiles.map((t) => t.tileIndex) });
  })();
}

/** Shown centroids per tile index, as `x,y` strings. */
function shownCentroids(): Record<number, string[]> {
  const shown: Record<number, string[]> = {};
  for (const stored of store.iterateNucleiChunks(analysisId)) {
    const chunk = decodeNucleiChunk(stored.buffer);
    const centroids = Array.from(
      { length: chunk.nucleusCount },
      (_, i) => `${chunk.centroidsBase[2 * i]},${chunk.centroidsBase[2 * i + 1]}`,
    );
    shown[stored.tileIndex] = centroids;
  }
  return shown;
}

/**
 * Outlines x (tile 2), y (tile 0) and z (tile 1): x and y are one nucleus, y and z
 * are one nucleus, x and z do not touch; x is deepest in its core, z the least.
 */
const CHAIN = {
  x: square(91, 106, 8),
  y: square(96, 94, 6),
  z: square(103, 92, 6),
};
const CHAIN_TILES = [tile(0, [CHAIN.y]), tile(1, [CHAIN.z]), tile(2, [CHAIN.x])];

const ORDERS = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];

describe('resolveSeams', () => {
  it('keeps the outline deeper inside its core when two tiles store one nucleus', () => {
    commitBatch([tile(0, [square(96, 50, 6)])]);
    commitBatch([tile(1, [square(101, 50, 6)])]);

    expect(shownCentroids()).toEqual({ 0: ['96,50'] });
    expect(store.getAnalysis(analysisId).nucleusCount).toBe(1);
  });

  it('keeps both outlines when two nuclei share less than a tenth of the smaller', () => {
    commitBatch([tile(0, [square(94, 50, 6)]), tile(1, [square(105, 50, 6)])]);

    expect(store.getAnalysis(analysisId).nucleusCount).toBe(2);
  });

  it('gives up an outline centred outside its core when no other tile outlined it', () => {
    commitBatch([tile(0, [square(40, 40, 6), square(103, 40, 6)])]);

    expect(shownCentroids()).toEqual({ 0: ['40,40'] });
  });

  it('keeps one outline of a nucleus whose outlines are both centred past the seam', () => {
    commitBatch([tile(1, [square(98, 50, 6)])]);
    commitBatch([tile(0, [square(101, 50, 6)])]);

    expect(shownCentroids()).toEqual({ 0: ['101,50'] });
  });

  it('shows an outline again when the outline that hid it is hidden by a later tile', () => {
    commitBatch([CHAIN_TILES[0]!, CHAIN_TILES[1]!]);
    expect(shownCentroids()).toEqual({ 0: ['96,94'] });

    commitBatch([CHAIN_TILES[2]!]);
    expect(shownCentroids()).toEqual({ 1: ['103,92'], 2: ['91,106'] });
  });

  it('stores the same nuclei whatever order and batches the tiles are committed in', () => {
    const batchings = [
      ...ORDERS.map((order) => order.map((i) => [i])),
      [[0, 1, 2]],
      [[2, 0], [1]],
    ];
    const results = batchings.map((batches) => {
      cleanup();
      ({ store, cleanup } = makeStore());
      analysisId = seedAnalysis(store).analysis.id;
      for (const batch of batches) commitBatch(batch.map((i) => CHAIN_TILES[i]!));
      return shownCentroids();
    });

    expect(results[0]).toEqual({ 1: ['103,92'], 2: ['91,106'] });
    for (const result of results) expect(result).toEqual(results[0]);
  });

  it('updates the summary and density of a tile committed before when it gives up a nucleus', () => {
    commitBatch([tile(1, [square(101, 50, 6)])]);
    commitBatch([tile(0, [square(96, 50, 6), square(40, 40, 6)])]);

    const counts = store
      .listTileSummaries(analysisId)
      .map((s) => [s.tileIndex, s.nucleusCount]);
    expect(counts).toEqual([
      [0, 2],
      [1, 0],
    ]);
    expect(store.queryNucleusDensity(analysisId, null).totalNuclei).toBe(2);
    expect(store.getAnalysis(analysisId).nucleusCount).toBe(2);
  });
});
