/**
 * Kills a writer with SIGKILL at random moments, several times, and checks that
 * the database stays consistent, keeps every committed tile, and that resuming
 * ends with exactly the content of an uninterrupted run.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CRASH_SPEC } from './crash-spec';
import { makeTempDir } from './store-fixtures';

const WRITER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'crash-writer.ts');
const TOTAL_TILES = CRASH_SPEC.tileColumns * CRASH_SPEC.tileRows;
const temp = makeTempDir('cellvit-crash-');
afterAll(() => temp.cleanup());

interface WriterRun {
  pending: number | null;
  isDone: boolean;
  signal: NodeJS.Signals | null;
}

/**
 * Runs the writer; with `killAfterBatches`, SIGKILLs it once it reports that many
 * committed batches. The kill lands while it keeps writing, at whatever point of
 * the next transaction the signal reaches it.
 */
function runWriter(dbPath: string, killAfterBatches: number | null): Promise<WriterRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dbPath], {
      env: { ...process.env, CELLVIT_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const run: WriterRun = { pending: null, isDone: false, signal: null };
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      const pending = /pending (\d+)/.exec(text);
      if (pending) run.pending = Number(pending[1]);
      const committed = [...text.matchAll(/committed (\d+)/g)].pop();
      if (
        killAfterBatches !== null &&
        committed &&
        Number(committed[1]) >= killAfterBatches
      )
        child.kill('SIGKILL');
      if (text.includes('done')) run.isDone = true;
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ ...run, signal }));
  });
}

function snapshot(dbPath: string) {
  const db = new Database(dbPath, { readonly: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    const hash = createHash('sha256');
    const rows = db
      .prepare(
        `SELECT t.tile_index, t.base_x, t.base_y, t.nucleus_count, t.counts_by_type,
           t.mean_nucleus_probability, t.quality_flags_json, t.embedding, c.data
         FROM analysis_tiles t LEFT JOIN nuclei_chunks c ON c.tile_id = t.id ORDER BY t.tile_index`,
      )
      .raw()
      .all() as unknown[][];
    for (const row of rows)
      for (const value of row)
        hash.update(String(value instanceof Buffer ? value.toString('hex') : value));
    const analysis = db
      .prepare('SELECT status, committed_tile_count, nucleus_count FROM analyses')
      .get() as
      { status: string; committed_tile_count: number; nucleus_count: number } | undefined;
    const rtreeRows = db
      .prepare('SELECT count(*) FROM tile_rtree')
      .pluck()
      .get() as number;
    return {
      integrity,
      tileCount: rows.length,
      digest: hash.digest('hex'),
      analysis,
      rtreeRows,
    };
  } finally {
    db.close();
  }
}

describe('ResultStore after the writer is killed', () => {
  it('stays consistent and resumes to the content of an uninterrupted run', async () => {
    const referencePath = path.join(temp.dir, 'reference.db');
    expect((await runWriter(referencePath, null)).isDone).toBe(true);
    const reference = snapshot(referencePath);
    expect(reference.tileCount).toBe(TOTAL_TILES);

    const crashedPath = path.join(temp.dir, 'crashed.db');
    let killed = 0; // kills that landed after some batches and before the end
    for (let attempt = 0; attempt < 6; attempt++) {
      const before = existsSync(crashedPath) ? snapshot(crashedPath).tileCount : 0;
      const run = await runWriter(crashedPath, 1 + Math.floor(Math.random() * 40));
      expect(run.pending).toBe(TOTAL_TILES - before);
      const isMidRun = run.signal === 'SIGKILL';

      const after = snapshot(crashedPath);
      expect(after.integrity).toBe('ok');
      expect(after.tileCount).toBeGreaterThanOrEqual(before);
      expect(after.analysis!.committed_tile_count).toBe(after.tileCount);
      expect(after.rtreeRows).toBe(after.tileCount);
      if (isMidRun && after.tileCount > before && after.tileCount < TOTAL_TILES) killed++;
      if (run.isDone) break;
    }
    expect(killed).toBeGreaterThan(0);

    const final = await runWriter(crashedPath, null);
    expect(final.isDone).toBe(true);
    const resumed = snapshot(crashedPath);
    const context = JSON.stringify({
      resumed: { ...resumed, digest: undefined },
      reference,
    });
    expect(resumed.digest, context).toBe(reference.digest);
    expect(resumed.analysis).toEqual(reference.analysis);
  });
});
