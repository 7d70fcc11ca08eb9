/**
 * Chooses, per native read, between calling OpenSlide on the calling thread and
 * handing the call to a koffi worker thread. The worker keeps the calling thread
 * free, but its round trip and the move of OpenSlide's work to another core cost
 * about 0.15 ms per read, up to 0.4 ms on a busy 2-core machine: 12-30 % of a
 * 256x256 read of cached JPEG tiles, which takes about 1.2 ms. A read expected to
 * finish within the budget therefore blocks, as briefly as any other short task
 * would; longer reads, and every read until one has been timed, go to the worker.
 */

/**
 * How much of the estimate survives each new read. At 0.75 the last four or
 * five reads dominate, so the estimate follows a slide from cold tiles (a few
 * milliseconds per read) to cached ones within a handful of reads.
 */
const DECAY_PER_READ = 0.75;

/** Learns how long one slide's reads take and says which of them may block. */
export class BlockingReadPolicy {
  /** Decayed sums of recent reads' durations and sizes; their ratio is ms per pixel. */
  private recentMs = 0;
  private recentPx = 0;

  /** @param budgetMs - longest read (ms) allowed to block the calling thread */
  constructor(private readonly budgetMs: number) {}

  /** True when reading `pixelCount` pixels is expected to take at most the budget. */
  canBlock(pixelCount: number): boolean {
    if (this.recentPx === 0) return false;
    return (this.recentMs / this.recentPx) * pixelCount <= this.budgetMs;
  }

  /**
   * Records that a read of `pixelCount` pixels took `elapsedMs`, waiting included.
   * Reads count by their size, so a tiny read's fixed cost barely moves the estimate.
   */
  record(pixelCount: number, elapsedMs: number): void {
    if (pixelCount < 1 || !(elapsedMs >= 0)) return;
    this.recentMs = this.recentMs * DECAY_PER_READ + elapsedMs;
    this.recentPx = this.recentPx * DECAY_PER_READ + pixelCount;
  }
}
