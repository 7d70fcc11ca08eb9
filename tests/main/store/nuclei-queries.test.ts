import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeNucleiChunk, nucleusPolygonBase } from '../../../src-shared/nuclei-chunk';
import type { ResultStore } from '../../../src-main/store/index';
import { syntheticTile } from '../../../src-main/store/synthetic-results';
import { makeStore, seedAnalysis, SMALL_SPEC } from './store-fixtures';

let store: ResultStore;
let cleanup: () => void;
let analysisId: number;
const allTiles = Array.from({ length: 30 }, (_, i) => syntheticTile(SMALL_SPEC, i));

beforeEach(() => {
  ({ store, cleanup } = makeStore());
  analysisId = seedAnalysis(store).analysis.id;
  store.commitTileBatch(analysisId, allTiles.slice(0, 16));
  store.commitTileBatch(analysisId, allTiles.slice(16));
});
afterEach(() => cleanup());

function decodedCentroids(baseRect: {
  x: number;
  y: number;
  width: number;
  height: number;
}) {
  const found = store.queryNucleiInViewport(analysisId, baseRect);
  const centroids: Array<[number, number]> = [];
  found.chunkByteOffsets.forEach((offset, k) => {
    const chunk = decodeNucleiChunk(found.buffer, offset, found.chunkByteLengths[k]);
    for (let i = 0; i < chunk.nucleusCount; i++) {
      centroids.push([chunk.centroidsBase[2 * i]!, chunk.centroidsBase[2 * i + 1]!]);
    }
  });
  return { found, centroids };
}

describe('ResultStore.queryNucleiInViewport', () => {
  it('returns every nucleus whose centroid lies in the viewport', () => {
    const baseRect = { x: 300, y: 200, width: 500, height: 400 };
    const { centroids } = decodedCentroids(baseRect);
    const key = (x: number, y: number) => `${Math.fround(x)},${Math.fround(y)}`;
    const returned = new Set(centroids.map(([x, y]) => key(x, y)));

    const expected = allTiles
      .flatMap((tile) => tile.nuclei)
      .filter((n) => n.centroidBaseX >= 300 && n.centroidBaseX < 800)
      .filter((n) => n.centroidBaseY >= 200 && n.centroidBaseY < 600);
    expect(expected.length).toBeGreaterThan(0);
    for (const n of expected)
      expect(returned.has(key(n.centroidBaseX, n.centroidBaseY))).toBe(true);
  });

  it('returns only the chunks of tiles that reach into the viewport', () => {
    const { found } = decodedCentroids({ x: 10, y: 10, width: 100, height: 100 });
    expect(found.chunkTileIndices).toEqual([0]);
    expect(found.nucleusCount).toBe(SMALL_SPEC.nucleiPerTile);
  });

  it('returns a nucleus that reaches past its tile core into the viewport', () => {
    const edgeTile = syntheticTile(SMALL_SPEC, 0);
    const straddling = {
      ...edgeTile.nuclei[0]!,
      polygonBase: [250, 10, 262, 10, 262, 20, 250, 20],
    };
    const other = seedAnalysis(store, SMALL_SPEC, 'e'.repeat(64)).analysis.id;
    store.commitTileBatch(other, [{ ...edgeTile, nuclei: [straddling] }]);

    const found = store.queryNucleiInViewport(other, {
      x: 258,
      y: 12,
      width: 2,
      height: 2,
    });
    expect(found.chunkTileIndices).toEqual([0]);
  });

  it('returns nothing for another analysis of the same slide', () => {
    const analysis = store.getAnalysis(analysisId);
    const other = store.createAnalysis({
      slideId: analysis.slideId,
      bundle: analysis.bundle,
      parameters: { other: true },
      nucleusClasses: analysis.nucleusClasses,
      appVersion: 'x',
      siteProfileVersion: null,
      plannedTileCount: 1,
    });
    expect(
      store.queryNucleiInViewport(other.id, { x: 0, y: 0, width: 2000, height: 2000 })
        .nucleusCount,
    ).toBe(0);
  });

  it('decodes polygons, types and probabilities exactly as committed', () => {
    const { found } = decodedCentroids({ x: 0, y: 0, width: 10, height: 10 });
    const chunk = decodeNucleiChunk(found.buffer, 0, found.chunkByteLengths[0]);
    const input = allTiles[0]!.nuclei[5]!;

    expect(Array.from(nucleusPolygonBase(chunk, 5))).toEqual(
      Array.from(input.polygonBase),
    );
    expect(chunk.typeIndices[5]).toBe(input.typeIndex);
    expect(Array.from(chunk.typeProbabilities.subarray(5 * 6, 6 * 6))).toEqual(
      Array.from(input.typeProbabilities),
    );
    expect(chunk.nucleusProbabilities[5]).toBe(Math.fround(input.nucleusProbability));
  });
});

describe('ResultStore.nucleusAt', () => {
  it('returns the nucleus whose polygon contains the point', () => {
    const target = allTiles[8]!.nuclei[2]!;
    const detail = store.nucleusAt(analysisId, {
      x: target.centroidBaseX,
      y: target.centroidBaseY,
    });
    expect(detail).not.toBeNull();
    expect(detail!.tileIndex).toBe(8);
    expect(detail!.areaPx).toBeLessThanOrEqual(Math.fround(target.areaPx));
  });

  it('returns null where there is no nucleus', () => {
    expect(store.nucleusAt(analysisId, { x: 99_999, y: 99_999 })).toBeNull();
  });
});

describe('ResultStore.queryNucleusDensity', () => {
  it('counts every committed nucleus by type over the whole slide', () => {
    const density = store.queryNucleusDensity(analysisId, null);
    const byType = [0, 0, 0, 0, 0, 0];
    for (const n of allTiles.flatMap((tile) => tile.nuclei)) byType[n.typeIndex]! += 1;
    const summed = [0, 0, 0, 0, 0, 0];
    density.countsByType.forEach((count, k) => (summed[k % 6]! += count));

    expect(density.tileCount).toBe(30);
    expect(density.totalNuclei).toBe(30 * SMALL_SPEC.nucleiPerTile);
    expect(summed).toEqual(byType);
  });

  it('limits the counts to tiles reaching into a rectangle', () => {
    const density = store.queryNucleusDensity(analysisId, {
      x: 0,
      y: 0,
      width: 100,
      height: 100,
    });
    expect(Array.from(density.tileIndices)).toEqual([0]);
    expect(Array.from(density.tileRectsBase)).toEqual([0, 0, 256, 256]);
  });
});
