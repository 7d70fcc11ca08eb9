/**
 * Vitest global set-up: every test run gets one temporary folder, made the
 * TMPDIR of the test processes (forked after this runs, so they inherit it),
 * and removed with everything in it when the run ends. Folders the tests make
 * with `os.tmpdir()` therefore never outlive the run, even when a test fails
 * before its own clean-up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cellvit-tests-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
