/**
 * Keeps recently used slides open so tiles, thumbnails and info do not reopen the
 * file each time; the least recently used reader is closed past `maxOpen`.
 */
import type { SlideReader } from '../slides/slide-reader';
import { createLogger } from '../logging/logger';
import { slideRef } from '../logging/slide-ref';
import { LruCache } from './lru-cache';

const log = createLogger('ipc.slides');

/** Opens a slide file (the slide layer's `openSlide`). */
export type SlideOpener = (filePath: string) => Promise<SlideReader>;

/** Finds the file of a slide id (from the store); throws when the id is unknown. */
export type SlidePathLookup = (slideId: string) => string;

function closeQuietly(slideId: string, pending: Promise<SlideReader>): void {
  pending
    .then((reader) => reader.close())
    .catch((error: unknown) => {
      // The reader is being dropped either way; a failed close only leaks a handle.
      log.warn('slide.close.failed', {
        slideRef: slideRef(slideId),
        errorName: error instanceof Error ? error.name : typeof error,
      });
    });
}

/** A bounded set of open slide readers, keyed by slide id. */
export class OpenSlides {
  readonly #readers: LruCache<string, Promise<SlideReader>>;
  readonly #openSlide: SlideOpener;
  readonly #lookupPath: SlidePathLookup;

  constructor(options: {
    openSlide: SlideOpener;
    lookupPath: SlidePathLookup;
    maxOpen?: number;
  }) {
    this.#openSlide = options.openSlide;
    this.#lookupPath = options.lookupPath;
    this.#readers = new LruCache({
      maxCost: options.maxOpen ?? 8,
      onEvict: closeQuietly,
    });
  }

  /** The reader of `slideId`, opening the file when needed. */
  async get(slideId: string): Promise<SlideReader> {
    const cached = this.#readers.get(slideId);
    if (cached) return cached;

    const pending = this.#openSlide(this.#lookupPath(slideId));
    this.#readers.set(slideId, pending);
    try {
      return await pending;
    } catch (error) {
      // Do not cache a failure: the file may be back (remounted share) next time.
      this.#readers.deleteWhere((key) => key === slideId);
      throw error;
    }
  }

  /** Closes the reader of `slideId` if open. */
  forget(slideId: string): void {
    this.#readers.delete(slideId);
  }

  /** Closes every reader. */
  closeAll(): void {
    this.#readers.deleteWhere(() => true);
  }
}
