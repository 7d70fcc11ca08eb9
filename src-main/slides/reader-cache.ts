/**
 * Keeps recently opened slides open, so that opening (parsing, probing) is paid
 * once per file. Callers get a lease: its `close()` releases the lease, and the
 * underlying reader closes once it is evicted and no lease holds it.
 */
import type { SlideReader } from './slide-reader';

interface Entry {
  reader: Promise<SlideReader>;
  leases: number;
  isEvicted: boolean;
}

export class ReaderCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity: number) {}

  /** The cached reader for `key`, opened with `open` on a miss; the caller must close the lease. */
  async acquire(key: string, open: () => Promise<SlideReader>): Promise<SlideReader> {
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
    } else {
      entry = { reader: open(), leases: 0, isEvicted: false };
      entry.reader.catch(() => this.entries.delete(key));
    }
    this.entries.set(key, entry);
    entry.leases++;
    this.evictOverflow();

    try {
      return lease(await entry.reader, () => this.release(entry));
    } catch (error) {
      entry.leases--;
      throw error;
    }
  }

  private release(entry: Entry): Promise<void> {
    entry.leases--;
    return entry.isEvicted && entry.leases === 0
      ? closeQuietly(entry)
      : Promise.resolve();
  }

  private evictOverflow(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.capacity) return;
      this.entries.delete(key);
      entry.isEvicted = true;
      if (entry.leases === 0) void closeQuietly(entry);
    }
  }

  /** Closes every reader now, leased or not. */
  async closeAll(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map(closeQuietly));
  }
}

async function closeQuietly(entry: Entry): Promise<void> {
  entry.isEvicted = true;
  // A reader that failed to open holds no resources: there is nothing to close.
  const reader = await entry.reader.catch(() => null);
  await reader?.close();
}

function lease(reader: SlideReader, release: () => Promise<void>): SlideReader {
  let isReleased = false;
  return {
    info: reader.info,
    readRegion: (request, options) => reader.readRegion(request, options),
    readThumbnail: (maxEdgePx, signal) => reader.readThumbnail(maxEdgePx, signal),
    readAssociatedImage: (name, options) => reader.readAssociatedImage(name, options),
    close: async () => {
      if (isReleased) return;
      isReleased = true;
      await release();
    },
  };
}
