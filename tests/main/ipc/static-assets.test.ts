import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStaticAsset } from '../../../src-main/ipc/static-assets';

const base = mkdtempSync(path.join(os.tmpdir(), 'cellvit-assets-'));
const root = path.join(base, 'renderer');
mkdirSync(path.join(root, 'assets'), { recursive: true });
writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
writeFileSync(path.join(root, 'assets', 'app.js'), 'export {}');
writeFileSync(path.join(base, 'outside.txt'), 'secret');

describe('readStaticAsset', () => {
  it('serves a file of the root with its media type', async () => {
    const asset = await readStaticAsset(root, '/assets/app.js');
    expect(asset.contentType).toMatch(/^text\/javascript/);
  });

  it('serves index.html for the root path', async () => {
    const asset = await readStaticAsset(root, '/');
    expect(asset.body.toString()).toBe('<!doctype html>');
  });

  for (const escaping of [
    '/../outside.txt',
    '/assets/../../outside.txt',
    '/%2e%2e/outside.txt',
    '/%2E%2E%2Foutside.txt',
    '/assets/%2e%2e%2f%2e%2e%2foutside.txt',
    '/..%5coutside.txt',
    `/${encodeURIComponent(path.join(base, 'outside.txt'))}`,
    '//etc/passwd',
    '/C:/Windows/win.ini',
    '/%00index.html',
    '/%E0%A4%A',
  ]) {
    it(`refuses the escaping path ${escaping}`, async () => {
      await expect(readStaticAsset(root, escaping)).rejects.toMatchObject({
        code: 'PATH_OUTSIDE_ROOT',
      });
    });
  }
});
