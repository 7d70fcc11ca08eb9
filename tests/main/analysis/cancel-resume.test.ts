/**
 * `runAnalysis` cancelled after its first batch, then run again with the same
 * settings: while another live process claims the analysis the run is refused with
 * ANALYSIS_IN_PROGRESS and changes nothing; once that claim is left by a process
 * that is gone, the run takes it over, analyses only the tiles not yet committed,
 * and ends with the nuclei of an uninterrupted run.
 */
import Database from 'better-sqlite3';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AnalysisOutcome } from '../../../src-main/analysis/analysis-types';
import { runAnalysis } from '../../../src-main/analysis/run-analysis';
import { readClaim, takeClaim } from '../../../src-main/store/analysis-claims';
import { openStore } from '../../../src-main/store/store';
import { describeWithData } from '../../support/shared-data';
import { CMU1_PATH, EPITHELIUM_REGION, temporaryFolder } from './analysis-fixture';

/** A digest of every committed tile's nuclei of the analysis, in tile order. */
function nucleiDigest(dbPath: string, analysisId: number): string {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT t.tile_index, t.nucleus_count, c.data FROM analysis_tiles t
         LEFT JOIN nuclei_chunks c ON c.tile_id = t.id
         WHERE t.analysis_id = ? ORDER BY t.tile_index`,
      )
      .raw()
      .all(analysisId) as unknown[][];
    const hash = createHash('sha256');
    for (const row of rows) {
      hash.update(String(row[0])).update(String(row[1]));
      if (row[2]) hash.update(row[2] as Buffer);
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

/** Records `pid` on this host as the holder of the analysis, with a fresh heartbeat. */
function claimFor(dbPath: string, analysisId: number, pid: number): void {
  const store = openStore(dbPath);
  try {
    const claimant = { host: hostname(), pid };
    takeClaim(store.db, { analysisId, claimant, nowIso: new Date().toISOString() });
  } finally {
    store.close();
  }
}

function readAnalysis(dbPath: string, analysisId: number) {
  const store = openStore(dbPath);
  try {
    return { ...store.getAnalysis(analysisId), claim: readClaim(store.db, analysisId) };
  } finally {
    store.close();
  }
}

describeWithData('runAnalysis run again after a cancel', () => {
  const reference = temporaryFolder();
  const interrupted = temporaryFolder();
  const options = { slidePath: CMU1_PATH, regionBase: EPITHELIUM_REGION, batchSize: 2 };
  let expectedDigest: string;
  let cancelled: AnalysisOutcome;
  let otherProcess: ChildProcess;

  beforeAll(async () => {
    otherProcess = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    const full = await runAnalysis({ ...options, dbPath: reference.dbPath });
    expectedDigest = nucleiDigest(reference.dbPath, full.analysisId);

    const controller = new AbortController();
    cancelled = await runAnalysis(
      { ...options, dbPath: interrupted.dbPath },
      {
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.tilesDone > 0) controller.abort();
        },
      },
    );
  }, 600_000);

  afterAll(() => {
    otherProcess.kill();
    reference.cleanup();
    interrupted.cleanup();
  });

  it('leaves the cancelled analysis with some tiles committed and no claim', () => {
    expect(cancelled.end).toBe('cancelled');
    expect(cancelled.tilesRun).toBeLessThan(cancelled.tilesTotal);
    const stored = readAnalysis(interrupted.dbPath, cancelled.analysisId);
    expect(stored).toMatchObject({ status: 'cancelled', claim: null });
    expect(stored.committedTileCount).toBe(cancelled.tilesRun);
  });

  it('refuses with ANALYSIS_IN_PROGRESS while another live process claims it', async () => {
    const pid = otherProcess.pid!;
    claimFor(interrupted.dbPath, cancelled.analysisId, pid);

    await expect(runAnalysis({ ...options, dbPath: interrupted.dbPath })).rejects.toThrow(
      expect.objectContaining({
        code: 'ANALYSIS_IN_PROGRESS',
        message: expect.stringContaining(`another process (pid ${pid})`),
      }),
    );
    const stored = readAnalysis(interrupted.dbPath, cancelled.analysisId);
    expect(stored.status).toBe('cancelled');
    expect(stored.committedTileCount).toBe(cancelled.tilesRun);
    expect(stored.claim?.pid).toBe(pid);
  });

  it('takes over a claim whose process is gone and runs only the pending tiles', async () => {
    const goneProcess = spawnSync(process.execPath, ['-e', '']);
    claimFor(interrupted.dbPath, cancelled.analysisId, goneProcess.pid!);

    const resumed = await runAnalysis({ ...options, dbPath: interrupted.dbPath });

    expect(resumed.end).toBe('done');
    expect(resumed.analysisId).toBe(cancelled.analysisId);
    expect(resumed.tilesRun).toBe(resumed.tilesTotal - cancelled.tilesRun);
    expect(nucleiDigest(interrupted.dbPath, resumed.analysisId)).toBe(expectedDigest);
    expect(readAnalysis(interrupted.dbPath, resumed.analysisId)).toMatchObject({
      status: 'done',
      errorCode: null,
      claim: null,
    });
  }, 300_000);
});
