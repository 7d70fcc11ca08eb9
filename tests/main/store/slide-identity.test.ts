import {
  copyFileSync,
  openSync,
  closeSync,
  writeFileSync,
  writeSync,
  ftruncateSync,
} from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  computeSlideContentId,
  sampleRanges,
  WHOLE_FILE_LIMIT_BYTES,
} from '../../../src-main/store/slide-identity';
import { describeWithData, sharedSlide } from '../../support/shared-data';
import { makeTempDir } from './store-fixtures';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = makeTempDir()));
afterEach(() => cleanup());

const DIMS = { widthPx: 1000, heightPx: 800 };

function writeBytes(name: string, bytes: Uint8Array): string {
  const filePath = path.join(dir, name);
  writeFileSync(filePath, bytes);
  return filePath;
}

describe('computeSlideContentId', () => {
  it('gives the same id to a copy of the file under another name', async () => {
    const original = writeBytes(
      'S-24-1234.svs',
      Uint8Array.from({ length: 5000 }, (_, i) => i % 251),
    );
    const copy = path.join(dir, 'renamed.svs');
    copyFileSync(original, copy);
    expect(await computeSlideContentId(copy, DIMS)).toBe(
      await computeSlideContentId(original, DIMS),
    );
  });

  it('gives another id when one byte differs', async () => {
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => i % 251);
    const a = writeBytes('a.svs', bytes);
    bytes[2500] = 7;
    const b = writeBytes('b.svs', bytes);
    expect(await computeSlideContentId(a, DIMS)).not.toBe(
      await computeSlideContentId(b, DIMS),
    );
  });

  it('gives another id when the level-0 dimensions differ', async () => {
    const a = writeBytes('a.svs', new Uint8Array(100));
    expect(await computeSlideContentId(a, DIMS)).not.toBe(
      await computeSlideContentId(a, { widthPx: 1000, heightPx: 801 }),
    );
  });

  it('notices a change in a sampled interior range of a large file', async () => {
    const filePath = path.join(dir, 'large.svs');
    const sizeBytes = WHOLE_FILE_LIMIT_BYTES + 32 * 1024 * 1024;
    const fd = openSync(filePath, 'w');
    ftruncateSync(fd, sizeBytes);
    closeSync(fd);
    const before = await computeSlideContentId(filePath, DIMS);

    const [offset] = sampleRanges(sizeBytes)[3]!;
    const edit = openSync(filePath, 'r+');
    writeSync(edit, Buffer.from([1, 2, 3]), 0, 3, offset + 10);
    closeSync(edit);
    expect(await computeSlideContentId(filePath, DIMS)).not.toBe(before);
  });

  it('samples the first and last MiB and 8 interior MiB of a large file', () => {
    const ranges = sampleRanges(10 * WHOLE_FILE_LIMIT_BYTES);
    expect(ranges).toHaveLength(10);
    expect(ranges[0]).toEqual([0, 1024 * 1024]);
    expect(ranges[9]![0] + ranges[9]![1]).toBe(10 * WHOLE_FILE_LIMIT_BYTES);
  });

  it('reports SLIDE_NOT_FOUND without the path when the file is missing', async () => {
    const missing = path.join(dir, 'S-24-999 Doe.svs');
    const failure = computeSlideContentId(missing, DIMS);
    await expect(failure).rejects.toMatchObject({ code: 'SLIDE_NOT_FOUND' });
    await expect(failure).rejects.not.toThrow(/Doe/);
  });
});

describeWithData('computeSlideContentId on a real slide', () => {
  it('is stable for CMU-1-Small-Region.svs and independent of the path', async () => {
    const slidePath = sharedSlide('CMU-1-Small-Region.svs');
    const copy = path.join(dir, 'copy.svs');
    copyFileSync(slidePath, copy);
    const dims = { widthPx: 2220, heightPx: 2967 };

    const id = await computeSlideContentId(slidePath, dims);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(await computeSlideContentId(copy, dims)).toBe(id);
  });
});
