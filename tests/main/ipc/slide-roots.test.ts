import {
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allowedSlideRoots } from '../../../src-main/ipc/create-services';
import { resolveWithinRoots } from '../../../src-main/ipc/path-roots';
import { browseSlideFolders } from '../../../src-main/ipc/slide-browser';

describe('allowedSlideRoots', () => {
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'cellvit-roots-')));
  const realFolder = path.join(base, 'archive');
  const link = path.join(base, 'slides-link');
  mkdirSync(realFolder);
  writeFileSync(path.join(realFolder, 'case.svs'), 'x');
  symlinkSync(realFolder, link);
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('accepts a slide named through the link the folder was configured with', async () => {
    const roots = allowedSlideRoots([link]);
    await expect(resolveWithinRoots(path.join(link, 'case.svs'), roots)).resolves.toBe(
      path.join(realFolder, 'case.svs'),
    );
  });

  it('accepts the same slide named through the real folder', async () => {
    const roots = allowedSlideRoots([link]);
    await expect(
      resolveWithinRoots(path.join(realFolder, 'case.svs'), roots),
    ).resolves.toBe(path.join(realFolder, 'case.svs'));
  });

  it('still refuses a path beside the folder', async () => {
    const roots = allowedSlideRoots([link]);
    await expect(
      resolveWithinRoots(path.join(base, 'other.svs'), roots),
    ).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_ROOT',
    });
  });

  it('lists a folder allowed under two names once', async () => {
    const listing = await browseSlideFolders(allowedSlideRoots([link, realFolder]), null);
    expect(listing.entries.map((e) => e.path)).toEqual([realFolder]);
  });
});
