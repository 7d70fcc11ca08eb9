/**
 * A bounded free list of reusable items of different sizes (pixel buffers), shared
 * by the destination pools of OpenSlide reads. It hands out the smallest item large
 * enough for a request and, once full, keeps the larger of an item given back and
 * its smallest one, so repeated reads of one size reuse memory while the number of
 * items kept stays bounded.
 */
export class BoundedFreeList<T> {
  private readonly items: T[] = [];

  /**
   * @param maxItems - most items kept between uses
   * @param sizeOf - an item's size, in whatever unit requests use
   */
  constructor(
    private readonly maxItems: number,
    private readonly sizeOf: (item: T) => number,
  ) {}

  /** The items kept now, for measuring what the list holds. */
  get kept(): readonly T[] {
    return this.items;
  }

  /** Removes and returns the smallest kept item of at least `size`, or `null`. */
  takeAtLeast(size: number): T | null {
    let best = -1;
    for (let i = 0; i < this.items.length; i++) {
      const itemSize = this.sizeOf(this.items[i]!);
      if (itemSize >= size && (best < 0 || itemSize < this.sizeOf(this.items[best]!)))
        best = i;
    }
    return best < 0 ? null : this.items.splice(best, 1)[0]!;
  }

  /** Keeps `item` for reuse; once full, it replaces the smallest kept item if larger. */
  keep(item: T): void {
    if (this.items.includes(item)) return;
    if (this.items.length < this.maxItems) {
      this.items.push(item);
      return;
    }
    let smallest = 0;
    for (let i = 1; i < this.items.length; i++) {
      if (this.sizeOf(this.items[i]!) < this.sizeOf(this.items[smallest]!)) smallest = i;
    }
    if (this.sizeOf(this.items[smallest]!) < this.sizeOf(item))
      this.items[smallest] = item;
  }
}
