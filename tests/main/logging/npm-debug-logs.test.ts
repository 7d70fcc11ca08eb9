import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Runs an npm script in a fresh home folder, without the npm settings of this run. */
function npmLogFolderAfter(args: string[]): boolean {
  const home = mkdtempSync(path.join(tmpdir(), 'cellvit-npm-home-'));
  try {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)),
    );
    execFileSync('npm', args, {
      cwd: ROOT,
      env: { ...env, HOME: home },
      stdio: 'ignore',
    });
    return existsSync(path.join(home, '.npm', '_logs'));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

describe("npm's debug logs", () => {
  it('are not written when the command line runs through npm, slide path and all', () => {
    expect(npmLogFolderAfter(['run', '-s', 'cli', '--', '--version'])).toBe(false);
  });

  it('would be written without the project setting (so the check above can fail)', () => {
    const args = ['run', '-s', 'cli', '--logs-max=10', '--', '--version'];
    expect(npmLogFolderAfter(args)).toBe(true);
  });
});
