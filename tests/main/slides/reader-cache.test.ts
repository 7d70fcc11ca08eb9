import { describe, expect, it } from 'vitest';
import { ReaderCache } from '../../../src-main/slides/reader-cache';
import type { SlideReader } from '../../../src-main/slides/slide-reader';

/** A reader that only records whether it was closed; the cache never reads pixels. */
function trackedReader(): { reader: SlideReader; isClosed: () => boolean } {
  let closed = false;
  const reader = {
    info: {} as SlideReader['info'],
    readRegion: () => Promise.reject(new Error('not used')),
    readThumbnail: () => Promise.reject(new Error('not used')),
    readAssociatedImage: () => Promise.reject(new Error('not used')),
    close: async () => {
      closed = true;
    },
  } satisfies SlideReader;
  return { reader, isClosed: () => closed };
}

describe('ReaderCache', () => {
  it('opens a file once for two acquisitions of the same key', async () => {
    const cache = new ReaderCache(2);
    let opens = 0;
    const open = async () => {
      opens++;
      return trackedReader().reader;
    };
    await cache.acquire('a', open);
    await cache.acquire('a', open);
    expect(opens).toBe(1);
  });

  it('keeps a reader open while a lease on it is held, even when evicted', async () => {
    const cache = new ReaderCache(1);
    const first = trackedReader();
    const lease = await cache.acquire('a', async () => first.reader);
    await cache.acquire('b', async () => trackedReader().reader);
    expect(first.isClosed()).toBe(false);
    await lease.close();
    expect(first.isClosed()).toBe(true);
  });

  it('closes an evicted reader that nobody holds', async () => {
    const cache = new ReaderCache(1);
    const first = trackedReader();
    await (await cache.acquire('a', async () => first.reader)).close();
    await cache.acquire('b', async () => trackedReader().reader);
    await Promise.resolve();
    expect(first.isClosed()).toBe(true);
  });

  it('forgets a failed open so the next attempt opens again', async () => {
    const cache = new ReaderCache(2);
    await expect(
      cache.acquire('a', () => Promise.reject(new Error('damaged'))),
    ).rejects.toThrow('damaged');
    const reader = trackedReader().reader;
    await expect(cache.acquire('a', async () => reader)).resolves.toBeDefined();
  });

  it('closes every reader on closeAll', async () => {
    const cache = new ReaderCache(4);
    const tracked = [trackedReader(), trackedReader()];
    await cache.acquire('a', async () => tracked[0]!.reader);
    await cache.acquire('b', async () => tracked[1]!.reader);
    await cache.closeAll();
    expect(tracked.every((t) => t.isClosed())).toBe(true);
  });
});
