/**
 * A bounded asynchronous queue between two pipeline stages. A full queue makes the
 * producer wait (back-pressure), so a fast reader never piles up a whole slide's
 * tiles in memory ahead of a slower inference stage.
 */

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/** What `take` returns once the queue is closed and drained. */
export const QUEUE_DONE: unique symbol = Symbol('queue-done');

/** A first-in first-out queue holding at most `capacity` items. */
export class BoundedQueue<T> {
  readonly #capacity: number;
  readonly #items: T[] = [];
  readonly #takers: Waiter<T | typeof QUEUE_DONE>[] = [];
  readonly #putters: (Waiter<void> & { item: T })[] = [];
  #isClosed = false;
  #failure: { error: unknown } | null = null;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Queue capacity must be a positive integer, got ${capacity}.`);
    }
    this.#capacity = capacity;
  }

  /** Items waiting now (not counting producers blocked on a full queue). */
  get size(): number {
    return this.#items.length;
  }

  /** Adds an item; resolves once it fits. Rejects after `fail`, throws after `close`. */
  put(item: T): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure.error);
    if (this.#isClosed) return Promise.reject(new Error('put on a closed queue'));

    const taker = this.#takers.shift();
    if (taker) {
      taker.resolve(item);
      return Promise.resolve();
    }
    if (this.#items.length < this.#capacity) {
      this.#items.push(item);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) =>
      this.#putters.push({ item, resolve, reject }),
    );
  }

  /** The next item, or {@link QUEUE_DONE} when the queue is closed and empty. */
  take(): Promise<T | typeof QUEUE_DONE> {
    if (this.#failure) return Promise.reject(this.#failure.error);

    const item = this.#items.shift();
    if (item !== undefined) {
      this.#admitWaitingPutter();
      return Promise.resolve(item);
    }
    const putter = this.#putters.shift();
    if (putter) {
      putter.resolve();
      return Promise.resolve(putter.item);
    }
    if (this.#isClosed) return Promise.resolve(QUEUE_DONE);
    return new Promise((resolve, reject) => this.#takers.push({ resolve, reject }));
  }

  /** No more items will come; consumers drain what is left, then get {@link QUEUE_DONE}. */
  close(): void {
    this.#isClosed = true;
    for (const taker of this.#takers.splice(0)) taker.resolve(QUEUE_DONE);
  }

  /**
   * Stops both ends: every waiting and future `put` and `take` rejects with `error`,
   * and queued items are dropped. Used when a stage fails or the job is cancelled.
   */
  fail(error: unknown): void {
    if (this.#failure) return;
    this.#failure = { error };
    this.#items.length = 0;
    for (const taker of this.#takers.splice(0)) taker.reject(error);
    for (const putter of this.#putters.splice(0)) putter.reject(error);
  }

  /** Iterates until the queue is closed and drained. */
  async *drain(): AsyncGenerator<T> {
    for (;;) {
      const item = await this.take();
      if (item === QUEUE_DONE) return;
      yield item;
    }
  }

  #admitWaitingPutter(): void {
    const putter = this.#putters.shift();
    if (!putter) return;
    this.#items.push(putter.item);
    putter.resolve();
  }
}
