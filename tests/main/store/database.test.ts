import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../src-main/store/database';
import { MIGRATIONS, type Migration } from '../../../src-main/store/migrations/index';
import { openStore } from '../../../src-main/store/index';
import { makeTempDir } from './store-fixtures';

let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((cleanup) => cleanup());
  cleanups = [];
});

function tempDbPath(): string {
  const temp = makeTempDir();
  cleanups.push(temp.cleanup);
  return path.join(temp.dir, 'nested', 'results.db');
}

describe('openDatabase', () => {
  it('creates the folder and records every migration in user_version when the file is new', () => {
    const db = openDatabase(tempDbPath());
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it('says so when the path names a folder, or runs through a file', () => {
    const dbPath = tempDbPath();
    openDatabase(dbPath).close();
    expect(() => openDatabase(path.dirname(dbPath))).toThrow(
      /path names a folder; give a file in it/,
    );
    expect(() => openDatabase(path.join(dbPath, 'inner.db'))).toThrow(
      /A folder on the results database path is a file/,
    );
  });

  it('runs in WAL mode with foreign keys, a busy timeout and NORMAL sync', () => {
    const db = openDatabase(tempDbPath(), { busyTimeoutMs: 1234 });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    db.close();
  });

  it('applies only the pending migrations when the file has older ones', () => {
    const dbPath = tempDbPath();
    const applied: string[] = [];
    const step = (version: number): Migration => ({
      version,
      name: `00${version}-step`,
      up: (db) => {
        applied.push(`00${version}-step`);
        db.exec(`CREATE TABLE step_${version} (id INTEGER PRIMARY KEY)`);
      },
    });
    openDatabase(dbPath, { migrations: [step(1)] }).close();
    const db = openDatabase(dbPath, { migrations: [step(1), step(2)] });

    expect(applied).toEqual(['001-step', '002-step']);
    expect(schemaVersion(db)).toBe(2);
    db.close();
  });

  it('leaves the schema untouched when a migration throws', () => {
    const dbPath = tempDbPath();
    const broken: Migration = {
      version: 1,
      name: '001-broken',
      up: (db) => {
        db.exec('CREATE TABLE half_done (id INTEGER)');
        throw new Error('disk hiccup');
      },
    };
    expect(() => openDatabase(dbPath, { migrations: [broken] })).toThrow(/disk hiccup/);

    const db = new Database(dbPath);
    expect(schemaVersion(db)).toBe(0);
    expect(
      db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get(),
    ).toBe(undefined);
    db.close();
  });

  it('refuses with STORE_SCHEMA_TOO_NEW when a newer app wrote the file', () => {
    const dbPath = tempDbPath();
    openDatabase(dbPath).close();
    const raw = new Database(dbPath);
    raw.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    raw.close();

    expect(() => openStore(dbPath)).toThrow(
      expect.objectContaining({
        code: 'STORE_SCHEMA_TOO_NEW',
        message: expect.stringMatching(/Update the app/),
      }),
    );
  });

  it('rejects a migration list with a gap in its numbering', () => {
    const gap: Migration = { version: 2, name: '002-gap', up: () => undefined };
    expect(() => openDatabase(tempDbPath(), { migrations: [gap] })).toThrow(/expected 1/);
  });
});
