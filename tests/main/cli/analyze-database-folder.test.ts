import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDatabaseFolder } from '../../../src-main/cli/commands/analyze';
import { runCli } from '../../../src-main/cli/main';

let folder = '';
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('analyze --db folder check', () => {
  it('accepts an existing folder or one missing folder level', () => {
    folder = mkdtempSync(path.join(tmpdir(), 'db-folder-'));
    expect(() => checkDatabaseFolder(path.join(folder, 'results.db'))).not.toThrow();
    expect(() =>
      checkDatabaseFolder(path.join(folder, 'new', 'results.db')),
    ).not.toThrow();
  });

  it('refuses a path missing two folder levels, before anything is created', async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'db-folder-'));
    const dbPath = path.join(folder, 'unmounted', 'share', 'results.db');
    let stderr = '';
    const status = await runCli(['analyze', 'any-slide.svs', '--db', dbPath], {
      stdout: () => undefined,
      stderr: (text) => (stderr += text),
    });

    expect(status).toBe(2);
    expect(stderr).toMatch(
      /^STORE_FAILED: Neither the folder of --db nor the folder above/,
    );
    expect(existsSync(path.join(folder, 'unmounted'))).toBe(false);
  });
});
