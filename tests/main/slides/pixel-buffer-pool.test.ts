import { describe, expect, it } from 'vitest';
import { PixelBufferPool } from '../../../src-main/slides/openslide/pixel-buffer-pool';

describe('PixelBufferPool', () => {
  it('hands out a buffer of exactly the pixels asked', () => {
    const pool = new PixelBufferPool(2, 1024);
    expect(pool.take(100).length).toBe(100);
  });

  it('reuses a returned buffer, as its last user left it, for a read that fits in it', () => {
    const pool = new PixelBufferPool(2, 1024);
    const first = pool.take(256);
    first.fill(0xdeadbeef);
    pool.give(first);
    const second = pool.take(200);
    expect(second.buffer).toBe(first.buffer);
    expect(second.length).toBe(200);
    expect(second[0]).toBe(0xdeadbeef);
  });

  it('never hands the same buffer to two takers', () => {
    const pool = new PixelBufferPool(4, 1024);
    const buffer = pool.take(64);
    pool.give(buffer);
    pool.give(buffer);
    expect(pool.take(64).buffer).not.toBe(pool.take(64).buffer);
  });

  it('keeps neither buffers over its size limit nor more buffers than its count', () => {
    const pool = new PixelBufferPool(2, 1024);
    pool.give(pool.take(2048));
    expect(pool.retainedBytes).toBe(0);

    const taken = [pool.take(100), pool.take(200), pool.take(300)];
    for (const buffer of taken) pool.give(buffer);
    expect(pool.retainedBytes).toBe((200 + 300) * 4);
  });
});
