/**
 * Domain errors of the result store, and the one place that turns SQLite's
 * error codes into them so callers never match on driver messages.
 */
import { AppError } from '../../src-shared/errors';

/** A store operation failed for a reason not covered by a more specific class. */
export class StoreError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE_FAILED', message, options);
  }
}

/** The disk (or the database's size limit) is full; the open batch was rolled back. */
export class StoreDiskFullError extends AppError {
  constructor(action: string, options?: { cause?: unknown }) {
    super(
      'STORE_DISK_FULL',
      `Could not ${action}: the disk holding the results database is full. ` +
        'Results committed before this point are kept; free disk space and resume the analysis.',
      options,
    );
  }
}

/** Another process held the database longer than the busy timeout. */
export class StoreLockedError extends AppError {
  constructor(action: string, options?: { cause?: unknown }) {
    super(
      'STORE_LOCKED',
      `Could not ${action}: the results database is locked by another program ` +
        '(another copy of the app, a backup tool or a database browser). ' +
        'Close it and try again; nothing was lost.',
      options,
    );
  }
}

/** The database was written by a newer version of the app. */
export class StoreSchemaTooNewError extends AppError {
  constructor(foundVersion: number, knownVersion: number) {
    super(
      'STORE_SCHEMA_TOO_NEW',
      `The results database has schema version ${foundVersion}, but this version of the app ` +
        `knows only up to ${knownVersion}. Update the app; the database was not modified.`,
    );
  }
}

/** A record the caller named does not exist. */
export class StoreNotFoundError extends AppError {
  constructor(what: string) {
    super('STORE_NOT_FOUND', `${what} does not exist in the results database.`);
  }
}

/** The process holding an analysis, as its messages name it. */
export interface ClaimHolder {
  pid: number;
  /** Whether the process runs on this computer (a database may be on a shared drive). */
  isOnThisHost: boolean;
}

function describeHolder(holder: ClaimHolder): string {
  // The host name is left out: workstation names often carry a person's name.
  return holder.isOnThisHost
    ? `pid ${holder.pid}`
    : `pid ${holder.pid} on another computer`;
}

/** Another live process is running the analysis a new run would start or continue. */
export class AnalysisInProgressError extends AppError {
  constructor(holder: ClaimHolder) {
    super(
      'ANALYSIS_IN_PROGRESS',
      'This slide is already being analysed with these settings by another process ' +
        `(${describeHolder(holder)}); wait for it to finish or stop it, then run the ` +
        'analysis again.',
    );
  }
}

/**
 * Another process took over the analysis of this run, after this run had not
 * refreshed its claim for minutes (the computer slept, or the process was paused).
 */
export class AnalysisTakenOverError extends AppError {
  constructor(holder: ClaimHolder) {
    super(
      'ANALYSIS_IN_PROGRESS',
      `Another process (${describeHolder(holder)}) took over this analysis while this ` +
        'one was not responding, and continues it; this run stopped. Tiles finished ' +
        'so far are kept.',
    );
  }
}

/** Driver and system codes of a file or folder this user cannot write. */
const UNWRITABLE_CODES = new Set(['SQLITE_CANTOPEN', 'EACCES', 'EPERM', 'EROFS']);

function sqliteCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : null;
}

/**
 * Converts a driver error into a store error; `action` completes the sentence
 * "Could not ..." (e.g. `'save the tile results'`). Store errors pass through.
 */
export function toStoreError(error: unknown, action: string): AppError {
  if (error instanceof AppError) return error;

  const code = sqliteCode(error) ?? '';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new StoreDiskFullError(action, { cause: error });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreLockedError(action, { cause: error });
  }
  const detail = error instanceof Error ? error.message : String(error);
  if (UNWRITABLE_CODES.has(code) || code.startsWith('SQLITE_READONLY')) {
    return new StoreError(
      `Could not ${action}: ${detail}. The database or its folder is not writable by ` +
        'this user, or is on read-only media. Copy the database to a folder this user ' +
        'can write and use the copy (--db, or the app settings); even reading it ' +
        'needs that folder writable.',
      { cause: error },
    );
  }
  return new StoreError(`Could not ${action}: ${detail}`, { cause: error });
}

/** Runs `body` and converts whatever it throws with {@link toStoreError}. */
export function withStoreErrors<T>(action: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    throw toStoreError(error, action);
  }
}
