/**
 * Reusable destination buffers for `openslide_read_region`. A fresh buffer per
 * read costs an allocation, first-touch page faults and garbage-collector work
 * on every tile; reusing a few keeps that off the hot path. The pool is bounded
 * in both the number and the size of the buffers it keeps.
 */

/**
 * A bounded free list of ARGB pixel buffers. A buffer comes back holding whatever
 * its last user left: `openslide_read_region` clears its whole destination before
 * painting (and on any error), so zeroing here would write every byte twice.
 */
export class PixelBufferPool {
  private readonly free: ArrayBuffer[] = [];

  /**
   * @param maxBuffers - most buffers kept between reads
   * @param maxBufferPx - largest buffer kept, in pixels; larger reads allocate afresh
   */
  constructor(
    private readonly maxBuffers: number,
    private readonly maxBufferPx: number,
  ) {}

  /** Bytes currently held for reuse. */
  get retainedBytes(): number {
    return this.free.reduce((sum, buffer) => sum + buffer.byteLength, 0);
  }

  /** A buffer of exactly `pixelCount` pixels, not cleared; {@link give} it back. */
  take(pixelCount: number): Uint32Array {
    const bytes = pixelCount * 4;
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const size = this.free[i]!.byteLength;
      if (size >= bytes && (best < 0 || size < this.free[best]!.byteLength)) best = i;
    }
    if (best < 0) return new Uint32Array(pixelCount);
    const [buffer] = this.free.splice(best, 1);
    return new Uint32Array(buffer!, 0, pixelCount);
  }

  /**
   * Returns a buffer from {@link take}; the caller must not touch it afterwards.
   * When the pool is full, the smallest buffer kept makes way for a larger one.
   */
  give(pixels: Uint32Array): void {
    const buffer = pixels.buffer;
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength > this.maxBufferPx * 4)
      return;
    if (this.free.includes(buffer)) return;
    if (this.free.length < this.maxBuffers) {
      this.free.push(buffer);
      return;
    }
    let smallest = 0;
    for (let i = 1; i < this.free.length; i++) {
      if (this.free[i]!.byteLength < this.free[smallest]!.byteLength) smallest = i;
    }
    if (this.free[smallest]!.byteLength < buffer.byteLength) this.free[smallest] = buffer;
  }
}
