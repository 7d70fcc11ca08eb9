import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type ResultStore } from '../../../src-main/store/index';
import { syntheticTile } from '../../../src-main/store/synthetic-results';
import { makeStore, makeTempDir, seedAnalysis, SMALL_SPEC } from './store-fixtures';

let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.reverse().forEach((cleanup) => cleanup());
  cleanups = [];
});

const tiles = (first: number, count: number) =>
  Array.from({ length: count }, (_, k) => syntheticTile(SMALL_SPEC, first + k));

function integrity(store: ResultStore): string {
  return store.db.pragma('integrity_check', { simple: true }) as string;
}

describe('ResultStore when the database is full', () => {
  it('rolls back the batch with STORE_DISK_FULL and keeps what was committed', () => {
    const { store, cleanup } = makeStore();
    cleanups.push(cleanup);
    const analysisId = seedAnalysis(store).analysis.id;
    store.commitTileBatch(analysisId, tiles(0, 4));
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages + 2}`);

    expect(() => store.commitTileBatch(analysisId, tiles(4, 20))).toThrow(
      expect.objectContaining({
        code: 'STORE_DISK_FULL',
        message: expect.stringMatching(/free disk space/),
      }),
    );
    expect(store.pendingTiles(analysisId, [0, 1, 2, 3, 4])).toEqual([4]);
    expect(store.getAnalysis(analysisId).nucleusCount).toBe(4 * SMALL_SPEC.nucleiPerTile);
    expect(integrity(store)).toBe('ok');
  });

  it('resumes the same batch once space is available again', () => {
    const { store, cleanup } = makeStore();
    cleanups.push(cleanup);
    const analysisId = seedAnalysis(store).analysis.id;
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages + 1}`);
    expect(() => store.commitTileBatch(analysisId, tiles(0, 20))).toThrow(
      /disk .* is full/,
    );

    store.db.pragma('max_page_count = 1073741823');
    store.commitTileBatch(analysisId, tiles(0, 20));
    expect(store.getAnalysis(analysisId).committedTileCount).toBe(20);
  });
});

function mountTinyTmpfs(): string | null {
  const temp = makeTempDir('cellvit-tmpfs-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', temp.dir], {
      stdio: 'ignore',
    });
  } catch {
    temp.cleanup();
    return null;
  }
  cleanups.push(() => {
    execFileSync('umount', [temp.dir]);
    temp.cleanup();
  });
  return temp.dir;
}

describe('ResultStore on a filesystem that fills up', () => {
  it('reports STORE_DISK_FULL and keeps earlier batches readable (1 MiB tmpfs)', (context) => {
    const mountDir = process.platform === 'linux' ? mountTinyTmpfs() : null;
    if (!mountDir) context.skip('mounting a tmpfs needs root on Linux');
    const store = openStore(path.join(mountDir!, 'results.db'));
    cleanups.push(() => store.close());
    const analysisId = seedAnalysis(store).analysis.id;

    const denseSpec = {
      ...SMALL_SPEC,
      tileColumns: 20,
      tileRows: 20,
      nucleiPerTile: 150,
    };
    let committed = 0;
    let failure: unknown = null;
    for (let first = 0; failure === null && first < 400; first += 4) {
      const batch = [0, 1, 2, 3].map((k) => syntheticTile(denseSpec, first + k));
      try {
        committed += store.commitTileBatch(analysisId, batch).tileCount;
      } catch (error) {
        failure = error;
      }
    }

    expect(failure).toMatchObject({ code: 'STORE_DISK_FULL' });
    expect(committed).toBeGreaterThan(0);
    expect(store.getAnalysis(analysisId).committedTileCount).toBe(committed);
    expect(store.listTileSummaries(analysisId)).toHaveLength(committed);
    expect(integrity(store)).toBe('ok');
  });
});

describe('ResultStore when another program holds the database', () => {
  it('reports STORE_LOCKED after the busy timeout and keeps committed tiles', () => {
    const { store, dbPath, cleanup } = makeStore({ busyTimeoutMs: 150 });
    cleanups.push(cleanup);
    const analysisId = seedAnalysis(store).analysis.id;
    store.commitTileBatch(analysisId, tiles(0, 2));

    const other = new Database(dbPath);
    other.exec('BEGIN EXCLUSIVE');
    try {
      expect(() => store.commitTileBatch(analysisId, tiles(2, 2))).toThrow(
        expect.objectContaining({
          code: 'STORE_LOCKED',
          message: expect.stringMatching(/locked/),
        }),
      );
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(store.getAnalysis(analysisId).committedTileCount).toBe(2);
  });

  it('commits the batch once the other program lets go', () => {
    const { store, dbPath, cleanup } = makeStore({ busyTimeoutMs: 150 });
    cleanups.push(cleanup);
    const analysisId = seedAnalysis(store).analysis.id;
    const other = new Database(dbPath);
    other.exec('BEGIN EXCLUSIVE');
    expect(() => store.commitTileBatch(analysisId, tiles(0, 2))).toThrow(/locked/);
    other.exec('ROLLBACK');
    other.close();

    store.commitTileBatch(analysisId, tiles(0, 2));
    expect(store.getAnalysis(analysisId).committedTileCount).toBe(2);
  });
});
