import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleGraph } from '../../../src-shared/bundle-manifest';
import type { AnalysisOutcome } from '../../../src-main/analysis/analysis-types';
import { runAnalysis } from '../../../src-main/analysis/run-analysis';
import { TileInference } from '../../../src-main/analysis/tile-inference';
import { loadBundle } from '../../../src-main/inference/bundle-loader';
import { NucleiEngine } from '../../../src-main/inference/engine';
import { openStore } from '../../../src-main/store/store';
import { editManifest, makeTestBundle } from '../../fixtures/test-bundles';
import { describeWithData } from '../../support/shared-data';
import { makeStore, seedAnalysis } from '../store/store-fixtures';
import { CMU1_PATH, EPITHELIUM_REGION, temporaryFolder } from './analysis-fixture';

/**
 * Gives the bundle new heads that compute the same maps: a `doc_string` field
 * (ModelProto field 6) appended to heads.onnx changes the file's hash, so the bundle
 * is another build, while the backbone file stays the same.
 */
async function withNewHeads(folder: string): Promise<string> {
  const text = Buffer.from('heads re-exported');
  const headsPath = path.join(folder, 'heads.onnx');
  appendFileSync(headsPath, Buffer.concat([Buffer.from([0x32, text.length]), text]));
  const bytes = readFileSync(headsPath);
  await editManifest(folder, (manifest) => {
    const files = manifest['files'] as { path: string; sha256: string; bytes: number }[];
    const entry = files.find((file) => file.path === 'heads.onnx')!;
    entry.sha256 = createHash('sha256').update(bytes).digest('hex');
    entry.bytes = bytes.length;
  });
  return folder;
}

function readCache(dbPath: string): { rows: number; keys: number; tokenDim: number } {
  const store = openStore(dbPath);
  try {
    return store.db
      .prepare(
        `SELECT COUNT(*) AS rows, COUNT(DISTINCT cache_key) AS keys,
           MIN(token_dim) AS tokenDim FROM embedding_cache`,
      )
      .get() as { rows: number; keys: number; tokenDim: number };
  } finally {
    store.close();
  }
}

function typeEntropySum(dbPath: string, analysisId: number): number {
  const store = openStore(dbPath);
  try {
    return store.db
      .prepare('SELECT SUM(nt_entropy_mean) FROM tile_uncertainty WHERE analysis_id = ?')
      .pluck()
      .get(analysisId) as number;
  } finally {
    store.close();
  }
}

describeWithData('TileInference with a two-stage bundle on a CMU-1 region', () => {
  const temp = temporaryFolder();
  let bundlePath: string;
  let first: AnalysisOutcome;
  const analyse = (extra: Record<string, unknown> = {}) =>
    runAnalysis({
      slidePath: CMU1_PATH,
      dbPath: temp.dbPath,
      regionBase: EPITHELIUM_REGION,
      bundlePath,
      ...extra,
    });

  beforeAll(async () => {
    bundlePath = await makeTestBundle({ stages: 'two-stage' });
    first = await analyse();
  }, 600_000);

  afterAll(() => temp.cleanup());

  it('runs the backbone and caches tokens for every tile when the cache is empty', () => {
    const tiles = first.tilesTotal;
    expect(first.inference).toMatchObject({
      graphTilesRun: { backbone: tiles, heads: tiles },
      cachedTileCount: 0,
    });
    expect(readCache(temp.dbPath)).toEqual({ rows: tiles, keys: 1, tokenDim: 8 });
  });

  it('runs only the heads when the same bundle re-analyses the slide with force', async () => {
    const forced = await analyse({ isForced: true });

    expect(forced.inference?.graphTilesRun).toEqual({ heads: first.tilesTotal });
    expect(forced.inference?.cachedTileCount).toBe(first.tilesTotal);
    expect(forced.nucleusCount).toBe(first.nucleusCount);
    // Cached tokens are float16: the maps agree up to half-precision rounding.
    expect(typeEntropySum(temp.dbPath, forced.analysisId)).toBeCloseTo(
      typeEntropySum(temp.dbPath, first.analysisId),
      2,
    );
  });

  it('runs only the heads when a bundle with new heads analyses the slide', async () => {
    const newHeads = await withNewHeads(await makeTestBundle({ stages: 'two-stage' }));
    const again = await analyse({ bundlePath: newHeads });

    expect(again.end).toBe('done');
    expect(again.analysisId).not.toBe(first.analysisId);
    expect(again.inference?.graphTilesRun.backbone).toBeUndefined();
    expect(again.inference?.cachedTileCount).toBe(first.tilesTotal);
  });

  it('runs the backbone on every tile again when the tile overlap changes', async () => {
    const otherOverlap = await makeTestBundle({ stages: 'two-stage' });
    await editManifest(otherOverlap, (manifest) => {
      (manifest['input'] as { recommendedOverlapPx: number }).recommendedOverlapPx = 16;
    });
    const again = await analyse({ bundlePath: otherOverlap });

    expect(again.inference?.graphTilesRun.backbone).toBe(again.tilesTotal);
    expect(again.inference?.cachedTileCount).toBe(0);
  });

  it('runs the backbone on every tile again when the user mpp changes', async () => {
    const again = await analyse({ userMppX: 0.5 });

    expect(again.inference?.graphTilesRun.backbone).toBe(again.tilesTotal);
    expect(again.inference?.cachedTileCount).toBe(0);
  });

  it('keeps only the entries of the latest key when the key of the slide changes', () => {
    expect(readCache(temp.dbPath).keys).toBe(1);
  });
});

describeWithData('TileInference with a single-graph bundle on a CMU-1 region', () => {
  const temp = temporaryFolder();
  afterAll(() => temp.cleanup());

  it('runs the graph on every tile and caches nothing when the bundle is single-graph', async () => {
    const options = {
      slidePath: CMU1_PATH,
      dbPath: temp.dbPath,
      regionBase: EPITHELIUM_REGION,
      bundlePath: await makeTestBundle({ stages: 'single' }),
    };
    await runAnalysis(options);
    const again = await runAnalysis({ ...options, isForced: true });

    expect(again.inference?.graphTilesRun).toEqual({ model: again.tilesTotal });
    expect(again.inference?.cachedTileCount).toBe(0);
    expect(readCache(temp.dbPath).rows).toBe(0);
  });
});

describe('TileInference on a batch with some tiles cached', () => {
  const TILE = 64;

  function pixelsOf(batchSize: number): Float32Array {
    const values = new Float32Array(batchSize * 3 * TILE * TILE);
    return values.map((_, i) => Math.sin(i * 0.001) * 1.5);
  }

  it('runs the backbone only on the missing tiles and keeps every tile in its slot', async () => {
    const { store, cleanup } = makeStore();
    const runs: [BundleGraph['role'], number][] = [];
    const bundle = await loadBundle(
      await makeTestBundle({ stages: 'two-stage', tileSizePx: TILE }),
    );
    const engine = await NucleiEngine.create(bundle, {
      intraOpNumThreads: 1,
      onGraphRun: (role, batchSize) => runs.push([role, batchSize]),
    });
    const slideId = seedAnalysis(store).slide.id;
    const cache = { store, slideId, cacheKey: 'v1:test' };
    const pixels = pixelsOf(3);
    const whole = await engine.run(pixels, 3);

    const warmUp = new TileInference(engine, cache);
    const perTile = 3 * TILE * TILE;
    await warmUp.run({ pixels: pixels.slice(0, perTile), tileIndices: [10] });
    await warmUp.run({ pixels: pixels.slice(2 * perTile), tileIndices: [12] });
    runs.length = 0;
    const mixed = new TileInference(engine, cache);
    const maps = await mixed.run({ pixels, tileIndices: [10, 11, 12] });

    expect(runs).toEqual([
      ['backbone', 1],
      ['heads', 3],
    ]);
    expect(mixed.cachedTileCount).toBe(2);
    // Cached tokens are float16: the maps agree up to half-precision rounding.
    const largestDifference = maps.np.reduce(
      (largest, value, i) => Math.max(largest, Math.abs(value - whole.np[i]!)),
      0,
    );
    expect(largestDifference).toBeLessThan(0.02);
    await engine.release();
    cleanup();
  });
});
