/**
 * `runAnalysis` when the database cannot grow any more (a full disk, or the quota a
 * shared workstation sets): the batch being written rolls back, the job stops with
 * STORE_DISK_FULL and the analysis is marked failed, the tiles committed before
 * stay, and a later run with space continues the same analysis with only the rest,
 * ending with the nuclei of an uninterrupted run.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { runAnalysis } from '../../../src-main/analysis/run-analysis';
import { openStore } from '../../../src-main/store/store';
import { describeWithData } from '../../support/shared-data';
import {
  atModelScale,
  BUNDLE_PATH,
  CMU1_PATH,
  temporaryFolder,
} from './analysis-fixture';

/** Twelve model tiles of tissue (4 x 3 at the bundle's scale). */
const REGION = atModelScale({ x: 900, y: 700, width: 448, height: 336 });
/** One tile: enough to create the schema and a first analysis. */
const TINY = { x: 1000, y: 800, width: 16, height: 16 };

/** Tiles committed by the latest analysis, and the database's integrity. */
function committedTiles(dbPath: string): { tiles: number; integrity: string } {
  const db = new Database(dbPath, { readonly: true });
  try {
    const latest = 'SELECT max(id) FROM analyses';
    const sql = `SELECT count(*) AS n FROM analysis_tiles WHERE analysis_id = (${latest})`;
    const row = db.prepare(sql).get() as {
      n: number;
    };
    return {
      tiles: row.n,
      integrity: db.pragma('integrity_check', { simple: true }) as string,
    };
  } finally {
    db.close();
  }
}

/** The latest analysis's status, error code and a digest of its nuclei chunks. */
function latestAnalysis(dbPath: string) {
  const store = openStore(dbPath);
  try {
    const { id, status, errorCode } = store.db
      .prepare(
        'SELECT id, status, error_code AS errorCode FROM analyses ORDER BY id DESC',
      )
      .get() as { id: number; status: string; errorCode: string | null };
    const hash = createHash('sha256');
    for (const chunk of store.iterateNucleiChunks(id)) {
      hash.update(String(chunk.tileIndex)).update(new Uint8Array(chunk.buffer));
    }
    return { id, status, errorCode, digest: hash.digest('hex') };
  } finally {
    store.close();
  }
}

describeWithData('runAnalysis on a database that is full', () => {
  const folder = temporaryFolder();
  afterAll(() => folder.cleanup());
  const options = {
    slidePath: CMU1_PATH,
    dbPath: folder.dbPath,
    bundlePath: BUNDLE_PATH,
    regionBase: REGION,
    batchSize: 2,
    intraOpThreads: 1,
  };
  let expectedDigest: string;
  let failedAnalysisId: number;

  it('stops with STORE_DISK_FULL and keeps the batches committed before', async () => {
    const probe = temporaryFolder();
    const small = await runAnalysis({
      ...options,
      dbPath: probe.dbPath,
      regionBase: TINY,
    });
    expect(small.end).toBe('done');
    const schemaBytes = statSync(probe.dbPath).size;
    await runAnalysis({ ...options, dbPath: probe.dbPath });
    const fullBytes = statSync(probe.dbPath).size;
    expectedDigest = latestAnalysis(probe.dbPath).digest;
    probe.cleanup();

    // Room for about half of the region's results: the job must stop midway.
    const maxDatabaseBytes = schemaBytes + Math.floor((fullBytes - schemaBytes) / 2);
    await runAnalysis({ ...options, regionBase: TINY });
    await expect(runAnalysis({ ...options, maxDatabaseBytes })).rejects.toMatchObject({
      code: 'STORE_DISK_FULL',
    });
    const state = committedTiles(folder.dbPath);
    expect(state.integrity).toBe('ok');
    expect(state.tiles).toBeGreaterThan(0);
    const failed = latestAnalysis(folder.dbPath);
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'STORE_DISK_FULL' });
    failedAnalysisId = failed.id;
  });

  it('continues the failed analysis with only the tiles left given space', async () => {
    const before = committedTiles(folder.dbPath).tiles;
    const outcome = await runAnalysis(options);
    expect(outcome.end).toBe('done');
    expect(outcome.analysisId).toBe(failedAnalysisId);
    expect(outcome.tilesRun).toBeLessThan(outcome.tilesTotal);
    expect(committedTiles(folder.dbPath).tiles).toBe(before + outcome.tilesRun);
  });

  it('ends with the nuclei of an uninterrupted run and the failure cleared', () => {
    expect(latestAnalysis(folder.dbPath)).toEqual({
      id: failedAnalysisId,
      status: 'done',
      errorCode: null,
      digest: expectedDigest,
    });
  });
});
