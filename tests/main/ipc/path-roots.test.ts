import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveWithinRoots } from '../../../src-main/ipc/path-roots';

const base = mkdtempSync(path.join(os.tmpdir(), 'cellvit-roots-'));
const root = path.join(base, 'slides');
mkdirSync(path.join(root, 'case'), { recursive: true });
writeFileSync(path.join(root, 'case', 'a.svs'), 'x');
writeFileSync(path.join(base, 'secret.txt'), 'x');
symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'link.svs'));

describe('resolveWithinRoots', () => {
  it('returns the real path of a file inside a root', async () => {
    const resolved = await resolveWithinRoots(path.join(root, 'case', 'a.svs'), [root]);
    expect(resolved).toBe(path.join(root, 'case', 'a.svs'));
  });

  it('refuses a path that climbs out with ../', async () => {
    const escaping = `${root}/case/../../secret.txt`;
    await expect(resolveWithinRoots(escaping, [root])).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_ROOT',
    });
  });

  it('refuses a symbolic link inside the root that points outside it', async () => {
    await expect(
      resolveWithinRoots(path.join(root, 'link.svs'), [root]),
    ).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_ROOT',
    });
  });

  it('refuses a relative path', async () => {
    await expect(resolveWithinRoots('case/a.svs', [root])).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_ROOT',
    });
  });

  it('refuses a sibling folder whose name merely starts like the root', async () => {
    mkdirSync(`${root}-other`, { recursive: true });
    await expect(resolveWithinRoots(`${root}-other`, [root])).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_ROOT',
    });
  });

  it('says SLIDE_NOT_FOUND for a missing file inside a root', async () => {
    await expect(
      resolveWithinRoots(path.join(root, 'gone.svs'), [root]),
    ).rejects.toMatchObject({
      code: 'SLIDE_NOT_FOUND',
    });
  });
});
