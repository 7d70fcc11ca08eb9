/**
 * Reusable destination buffers for `openslide_read_region`. A fresh buffer per
 * read costs an allocation, first-touch page faults and garbage-collector work
 * on every tile; reusing a few keeps that off the hot path. The pool is bounded
 * in both the number and the size of the buffers it keeps.
 */
import { BoundedFreeList } from './bounded-free-list';

/**
 * A bounded free list of ARGB pixel buffers. A buffer comes back holding whatever
 * its last user left: `openslide_read_region` clears its whole destination before
 * painting (and on any error), so zeroing here would write every byte twice.
 */
export class PixelBufferPool {
  private readonly free: BoundedFreeList<ArrayBuffer>;

  /**
   * @param maxBuffers - most buffers kept between reads
   * @param maxBufferPx - largest buffer kept, in pixels; larger reads allocate afresh
   */
  constructor(
    maxBuffers: number,
    private readonly maxBufferPx: number,
  ) {
    this.free = new BoundedFreeList(maxBuffers, (buffer) => buffer.byteLength);
  }

  /** Bytes currently held for reuse. */
  get retainedBytes(): number {
    return this.free.kept.reduce((sum, buffer) => sum + buffer.byteLength, 0);
  }

  /** A buffer of exactly `pixelCount` pixels, not cleared; {@link give} it back. */
  take(pixelCount: number): Uint32Array {
    const buffer = this.free.takeAtLeast(pixelCount * 4);
    return buffer ? new Uint32Array(buffer, 0, pixelCount) : new Uint32Array(pixelCount);
  }

  /**
   * Returns a buffer from {@link take}; the caller must not touch it afterwards.
   * When the pool is full, the smallest buffer kept makes way for a larger one.
   */
  give(pixels: Uint32Array): void {
    const buffer = pixels.buffer;
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength > this.maxBufferPx * 4)
      return;
    this.free.keep(buffer);
  }
}
