import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResultStore } from '../../../src-main/store/index';
import { syntheticTile } from '../../../src-main/store/synthetic-results';
import { makeStore, seedAnalysis, SMALL_SPEC } from './store-fixtures';

let store: ResultStore;
let cleanup: () => void;
let analysisId: number;

beforeEach(() => {
  ({ store, cleanup } = makeStore());
  analysisId = seedAnalysis(store).analysis.id;
});
afterEach(() => cleanup());

const tiles = (indices: number[]) => indices.map((i) => syntheticTile(SMALL_SPEC, i));

describe('ResultStore.commitTileBatch', () => {
  it('keeps an exact nucleus and tile count on the analysis across batches', () => {
    store.commitTileBatch(analysisId, tiles([0, 1, 2]));
    store.commitTileBatch(analysisId, tiles([3, 4]));

    const analysis = store.getAnalysis(analysisId);
    expect(analysis.committedTileCount).toBe(5);
    expect(analysis.nucleusCount).toBe(5 * SMALL_SPEC.nucleiPerTile);
  });

  it('stores each tile summary with counts by type, means, flags and embedding', () => {
    const [tile] = tiles([7]);
    store.commitTileBatch(analysisId, [tile!]);

    const [summary] = store.listTileSummaries(analysisId);
    const expectedCounts = [0, 0, 0, 0, 0, 0];
    for (const nucleus of tile!.nuclei) expectedCounts[nucleus.typeIndex]! += 1;
    const meanProbability =
      tile!.nuclei.reduce((sum, n) => sum + n.nucleusProbability, 0) /
      tile!.nuclei.length;

    expect(summary!.tileIndex).toBe(7);
    expect(summary!.baseRect).toEqual(tile!.baseRect);
    expect(summary!.countsByType).toEqual(expectedCounts);
    expect(summary!.meanNucleusProbability).toBeCloseTo(meanProbability, 6);
    expect(summary!.qualityFlags).toEqual(tile!.qualityFlags);
    expect(Array.from(summary!.embedding!)).toEqual(Array.from(tile!.embedding!));
  });

  it('rolls back the whole batch when one tile was already committed', () => {
    store.commitTileBatch(analysisId, tiles([0]));

    expect(() => store.commitTileBatch(analysisId, tiles([1, 0]))).toThrow(
      /Tile 0 of analysis \d+ is already committed/,
    );
    expect(store.pendingTiles(analysisId, [0, 1, 2])).toEqual([1, 2]);
    expect(store.getAnalysis(analysisId).nucleusCount).toBe(SMALL_SPEC.nucleiPerTile);
  });

  it('refuses tiles for an analysis that is already finished', () => {
    store.finishAnalysis(analysisId);
    expect(() => store.commitTileBatch(analysisId, tiles([0]))).toThrow(
      expect.objectContaining({
        code: 'STORE_FAILED',
        message: expect.stringMatching(/not running/),
      }),
    );
  });

  it('refuses a nucleus whose type index is outside the analysis classes', () => {
    const [tile] = tiles([0]);
    tile!.nuclei[3]!.typeIndex = 9;
    expect(() => store.commitTileBatch(analysisId, [tile!])).toThrow(/type index 9/);
    expect(store.getAnalysis(analysisId).committedTileCount).toBe(0);
  });

  it('stores a tile without nuclei so a resume does not redo it', () => {
    const [tile] = tiles([4]);
    store.commitTileBatch(analysisId, [{ ...tile!, nuclei: [] }]);

    expect(store.pendingTiles(analysisId, [3, 4, 5])).toEqual([3, 5]);
    expect(store.listTileSummaries(analysisId)[0]!.nucleusCount).toBe(0);
  });

  it('writes cached embeddings in the same transaction as the tiles', () => {
    const slideId = store.getAnalysis(analysisId).slideId;
    const entry = { tileIndex: 0, embedding: new Float32Array([1, 2, 3]), tokens: null };
    store.commitTileBatch(analysisId, tiles([0]), {
      embeddingCache: { slideId, cacheKey: 'v1:k', entries: [entry] },
    });

    const cached = store.embeddings.get({ slideId, cacheKey: 'v1:k' });
    expect(Array.from(cached.get(0)!.embedding)).toEqual([1, 2, 3]);
  });
});

describe('ResultStore analysis lifecycle', () => {
  it('finds a running analysis with the same bundle and parameters to resume', () => {
    const analysis = store.getAnalysis(analysisId);
    const found = store.findResumableAnalysis({
      slideId: analysis.slideId,
      bundle: analysis.bundle,
      parameters: { seed: SMALL_SPEC.seed, overlapPx: 32, tileSizePx: 256 },
    });
    expect(found?.id).toBe(analysisId);
  });

  it('does not resume an analysis whose parameters differ', () => {
    const analysis = store.getAnalysis(analysisId);
    const found = store.findResumableAnalysis({
      slideId: analysis.slideId,
      bundle: analysis.bundle,
      parameters: { seed: SMALL_SPEC.seed, overlapPx: 64, tileSizePx: 256 },
    });
    expect(found).toBeNull();
  });

  it('finds a failed analysis to resume, with the code it failed with', () => {
    const analysis = store.failAnalysis(analysisId, 'INFERENCE_FAILED');
    expect(analysis.status).toBe('failed');
    expect(analysis.errorCode).toBe('INFERENCE_FAILED');
    expect(
      store.findResumableAnalysis({
        slideId: analysis.slideId,
        bundle: analysis.bundle,
        parameters: analysis.parameters,
      })?.id,
    ).toBe(analysisId);
  });

  it('does not resume an analysis that is done', () => {
    const analysis = store.finishAnalysis(analysisId);
    expect(
      store.findResumableAnalysis({
        slideId: analysis.slideId,
        bundle: analysis.bundle,
        parameters: analysis.parameters,
      }),
    ).toBeNull();
  });

  it('refuses to change the status of an analysis that is already done', () => {
    store.finishAnalysis(analysisId);
    expect(() => store.cancelAnalysis(analysisId)).toThrow(/already done/);
  });

  it('reports STORE_NOT_FOUND for an analysis id that does not exist', () => {
    expect(() => store.getAnalysis(999)).toThrow(
      expect.objectContaining({ code: 'STORE_NOT_FOUND' }),
    );
  });
});

describe('ResultStore.checkIntegrity', () => {
  it('reports ok for a database with committed tiles', () => {
    store.commitTileBatch(analysisId, tiles([0, 1]));
    expect(store.checkIntegrity()).toBe('ok');
  });
});
