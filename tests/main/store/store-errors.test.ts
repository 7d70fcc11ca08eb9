import { describe, expect, it } from 'vitest';
import { toStoreError } from '../../../src-main/store/store-errors';

function driverError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('toStoreError', () => {
  it('says the place is not writable and what to do when the file cannot be opened', () => {
    const error = toStoreError(
      driverError('SQLITE_CANTOPEN', 'unable to open database file'),
      'open the results database',
    );
    expect(error.code).toBe('STORE_FAILED');
    expect(error.message).toMatch(/not writable/);
    expect(error.message).toMatch(/--db/);
  });

  it('gives the same advice for a database on read-only media', () => {
    const error = toStoreError(
      driverError('SQLITE_READONLY_DIRECTORY', 'attempt to write a readonly database'),
      'save the tile results',
    );
    expect(error.message).toMatch(/read-only media/);
    expect(error.message).toMatch(/Copy the database to a folder this user can write/);
  });

  it('keeps other driver errors as they are, with the action that failed', () => {
    const error = toStoreError(
      driverError('SQLITE_CORRUPT', 'malformed'),
      'read the tiles',
    );
    expect(error.message).toBe('Could not read the tiles: malformed');
  });
});
