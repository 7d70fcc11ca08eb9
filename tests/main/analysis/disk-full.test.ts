/**
 * `runAnalysis` when the database cannot grow any more (a full disk, or the quota a
 * shared workstation sets): the batch being written rolls back, the job stops with
 * STORE_DISK_FULL, the tiles committed before stay, and a later run with space
 * analyses only the rest.
 */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { runAnalysis } from '../../../src-main/analysis/run-analysis';
import { describeWithData } from '../../support/shared-data';
import { BUNDLE_PATH, CMU1_PATH, temporaryFolder } from './analysis-fixture';

/** Twelve model tiles of tissue (4 x 3 at 0.25 mpp). */
const REGION = { x: 900, y: 700, width: 448, height: 336 };
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
  });

  it('analyses only the tiles left once there is space again', async () => {
    const before = committedTiles(folder.dbPath).tiles;
    const outcome = await runAnalysis(options);
    expect(outcome.end).toBe('done');
    expect(outcome.tilesRun).toBeLessThan(outcome.tilesTotal);
    expect(committedTiles(folder.dbPath).tiles).toBe(before + outcome.tilesRun);
  });
});
