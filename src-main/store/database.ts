/**
 * Opens the SQLite file with the settings the store relies on and brings its
 * schema up to date.
 */
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createLogger } from '../logging/logger';
import { MIGRATIONS, type Migration } from './migrations/index';
import { StoreError, StoreSchemaTooNewError, toStoreError } from './store-errors';

const log = createLogger('store');

/** How long a write waits for another connection's lock before STORE_LOCKED. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  busyTimeoutMs?: number;
  /** Replaces the registered migrations (tests of the migration runner only). */
  migrations?: readonly Migration[];
}

/**
 * Opens (creating if needed) the database at `dbPath`, sets its pragmas and
 * applies pending migrations.
 *
 * WAL lets the viewer read while an analysis writes. `synchronous = NORMAL` in
 * WAL mode never corrupts the database, even on power loss; it may only lose
 * the last transactions before an OS crash or power cut. For tile batches that
 * costs at most some recomputation on resume, since the resume unit is exactly
 * what was committed. Reviews and audit rows are not recomputable, so the store
 * writes them with `synchronous = FULL` (see `ResultStore`).
 */
export function openDatabase(
  dbPath: string,
  options: OpenDatabaseOptions = {},
): Database.Database {
  const db = openFile(dbPath);
  try {
    // 16 KiB pages hold a typical tile's nuclei chunk (tens of KiB) in a few
    // pages instead of a long overflow chain; only takes effect on a new file.
    db.pragma('page_size = 16384');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // 64 MiB of page cache keeps the chunks around the current view in memory
    // while the user pans.
    db.pragma(`cache_size = -${64 * 1024}`);
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
    applyMigrations(db, options.migrations ?? MIGRATIONS);
    return db;
  } catch (error) {
    db.close();
    throw toStoreError(error, 'open the results database');
  }
}

function openFile(dbPath: string): Database.Database {
  if (dbPath !== ':memory:' && isFolder(dbPath)) {
    throw new StoreError(
      'The results database path names a folder; give a file in it, e.g. ' +
        `${path.join(dbPath, 'results.db')}.`,
    );
  }
  try {
    if (dbPath !== ':memory:') mkdirSync(path.dirname(dbPath), { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new StoreError(
        'A folder on the results database path is a file; choose another path for --db.',
        { cause: error },
      );
    }
    throw toStoreError(error, 'open the results database');
  }
  try {
    return new Database(dbPath);
  } catch (error) {
    throw toStoreError(error, 'open the results database');
  }
}

/** Whether `target` is an existing folder (a missing path, or one through a file, is not). */
function isFolder(target: string): boolean {
  try {
    return statSync(target, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/** The schema version recorded in the file (0 for a new file). */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every migration newer than the file's `user_version`, all in one
 * IMMEDIATE transaction, so two processes opening a new file at once cannot
 * both migrate it.
 */
export function applyMigrations(
  db: Database.Database,
  migrations: readonly Migration[],
): void {
  assertNumbered(migrations);
  const knownVersion = migrations.length;

  const migrate = db.transaction(() => {
    const foundVersion = schemaVersion(db);
    if (foundVersion > knownVersion) {
      throw new StoreSchemaTooNewError(foundVersion, knownVersion);
    }
    const pending = migrations.slice(foundVersion);
    for (const migration of pending) migration.up(db);
    db.pragma(`user_version = ${knownVersion}`);
    return { foundVersion, pending };
  });

  const { foundVersion, pending } = migrate.immediate();
  if (pending.length > 0) {
    log.info('store.migrated', {
      fromVersion: foundVersion,
      toVersion: knownVersion,
      applied: pending.map((migration) => migration.name),
    });
  }
}

function assertNumbered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `migration ${migration.name} has version ${migration.version}, expected ${index + 1}`,
      );
    }
  });
}
