import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDatabasePath } from '../../../src-main/store/index';

describe('defaultDatabasePath', () => {
  it('uses CELLVIT_DB when it is set', () => {
    expect(defaultDatabasePath({ CELLVIT_DB: '/data/site.db' }, 'linux')).toBe(
      '/data/site.db',
    );
  });

  it('refuses a CELLVIT_DB that is set but empty, as an unset variable expands', () => {
    expect(() =>
      defaultDatabasePath({ CELLVIT_DB: ' ', HOME: '/home/pat' }, 'linux'),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('uses ~/.local/share on Linux without XDG_DATA_HOME', () => {
    expect(defaultDatabasePath({ HOME: '/home/pat' }, 'linux')).toBe(
      '/home/pat/.local/share/cellvit-optimus/results.db',
    );
  });

  it('uses XDG_DATA_HOME on Linux when it is set', () => {
    expect(
      defaultDatabasePath({ HOME: '/home/pat', XDG_DATA_HOME: '/xdg' }, 'linux'),
    ).toBe('/xdg/cellvit-optimus/results.db');
  });

  it('uses Application Support on macOS', () => {
    expect(defaultDatabasePath({ HOME: '/Users/pat' }, 'darwin')).toBe(
      '/Users/pat/Library/Application Support/cellvit-optimus/results.db',
    );
  });

  it('uses APPDATA on Windows', () => {
    const expected = path.join(
      'C:/Users/pat/AppData/Roaming',
      'cellvit-optimus',
      'results.db',
    );
    expect(
      defaultDatabasePath({ APPDATA: 'C:/Users/pat/AppData/Roaming' }, 'win32'),
    ).toBe(expected);
  });
});
