/**
 * The real `analyze` command on a CMU-1 region, killed with SIGKILL while it commits
 * tiles, then run again: the database passes `integrity_check` after every kill, the
 * resumed run analyses only the tiles not yet committed, and the final nuclei are
 * identical to those of an uninterrupted run.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithData } from '../../support/shared-data';
import { atModelScale, CMU1_PATH, temporaryFolder } from './analysis-fixture';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = path.join(REPO_ROOT, 'src-main/cli/main.ts');
/** Twelve model tiles of tissue (4 x 3 at 0.25 mpp). */
const REGION = Object.values(
  atModelScale({ x: 900, y: 700, width: 448, height: 336 }),
).join(',');
const POLL_MS = 50;
const RUN_TIMEOUT_MS = 240_000;

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
}

/** Runs `analyze`; with `killAtTiles`, signals it once that many tiles are committed. */
function analyze(
  dbPath: string,
  killAtTiles: number | null,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', CLI, 'analyze', CMU1_PATH, '--db', dbPath];
    args.push('--region', REGION, '--batch', '2', '--threads', '1');
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, CELLVIT_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    const poll =
      killAtTiles === null
        ? null
        : setInterval(() => {
            // Once: a second termination signal would end the run at once, by design.
            if (child.signalCode === null && committedTiles(dbPath) >= killAtTiles) {
              child.kill(signal);
              clearInterval(poll!);
            }
          }, POLL_MS);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (poll) clearInterval(poll);
      resolve({ code, signal, stdout });
    });
  });
}

function committedTiles(dbPath: string): number {
  if (!existsSync(dbPath)) return 0;
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT count(*) AS n FROM analysis_tiles').get() as {
        n: number;
      };
      return row.n;
    } finally {
      db.close();
    }
  } catch {
    // The schema is not there yet while the first run creates the database.
    return 0;
  }
}

/** Integrity, tile count and a digest of every committed tile's nuclei. */
function snapshot(dbPath: string): { integrity: string; tiles: number; digest: string } {
  const db = new Database(dbPath, { readonly: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    const rows = db
      .prepare(
        `SELECT t.tile_index, t.nucleus_count, c.data FROM analysis_tiles t
         LEFT JOIN nuclei_chunks c ON c.tile_id = t.id ORDER BY t.tile_index`,
      )
      .raw()
      .all() as unknown[][];
    const hash = createHash('sha256');
    for (const row of rows) {
      hash.update(String(row[0])).update(String(row[1]));
      if (row[2]) hash.update(row[2] as Buffer);
    }
    return { integrity, tiles: rows.length, digest: hash.digest('hex') };
  } finally {
    db.close();
  }
}

describeWithData('analyze killed with SIGKILL and run again', () => {
  const reference = temporaryFolder();
  const killed = temporaryFolder();
  let expected: ReturnType<typeof snapshot>;

  beforeAll(async () => {
    const run = await analyze(reference.dbPath, null);
    expect(run.code).toBe(0);
    expected = snapshot(reference.dbPath);
  }, RUN_TIMEOUT_MS);

  afterAll(() => {
    reference.cleanup();
    killed.cleanup();
  });

  it(
    'keeps a consistent database and the committed tiles after each kill',
    async () => {
      for (const killAtTiles of [2, 6]) {
        const run = await analyze(killed.dbPath, killAtTiles);
        expect(run.signal).toBe('SIGKILL');
        const state = snapshot(killed.dbPath);
        expect(state.integrity).toBe('ok');
        expect(state.tiles).toBeGreaterThanOrEqual(killAtTiles);
        expect(state.tiles).toBeLessThan(expected.tiles);
      }
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'stops between batches on SIGTERM with exit status 143, a summary and its tiles kept',
    async () => {
      const stopped = temporaryFolder();
      try {
        const run = await analyze(stopped.dbPath, 2, 'SIGTERM');
        expect(run.code).toBe(143);
        expect(run.stdout).toMatch(/^Analysis 1: cancelled \(finished tiles are kept/m);
        const state = snapshot(stopped.dbPath);
        expect(state.integrity).toBe('ok');
        expect(state.tiles).toBeGreaterThanOrEqual(2);
        expect(state.tiles).toBeLessThan(expected.tiles);
      } finally {
        stopped.cleanup();
      }
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'resumes with only the unfinished tiles and ends with identical nuclei',
    async () => {
      const before = snapshot(killed.dbPath).tiles;
      const run = await analyze(killed.dbPath, null);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        `Tiles: ${expected.tiles - before} run this time, ${expected.tiles} in the plan`,
      );

      const after = snapshot(killed.dbPath);
      expect(after.integrity).toBe('ok');
      expect(after.tiles).toBe(expected.tiles);
      expect(after.digest).toBe(expected.digest);
    },
    RUN_TIMEOUT_MS,
  );
});
