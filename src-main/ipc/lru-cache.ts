/**
 * A small least-recently-used map bounded by a total cost (bytes, or 1 per entry);
 * `onEvict` lets owners release resources such as open slide files.
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, { value: V; cost: number }>();
  readonly #maxCost: number;
  readonly #onEvict: ((key: K, value: V) => void) | null;
  #totalCost = 0;

  constructor(options: { maxCost: number; onEvict?: (key: K, value: V) => void }) {
    this.#maxCost = options.maxCost;
    this.#onEvict = options.onEvict ?? null;
  }

  /** The value for `key`, now the most recently used; `undefined` when absent. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value`, evicting the least recently used entries past the budget. */
  set(key: K, value: V, cost = 1): void {
    this.delete(key);
    this.#entries.set(key, { value, cost });
    this.#totalCost += cost;
    for (const [oldKey] of this.#entries) {
      if (this.#totalCost <= this.#maxCost || this.#entries.size === 1) break;
      this.delete(oldKey);
    }
  }

  /** Removes `key` (calling `onEvict`); no-op when absent. */
  delete(key: K): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#totalCost -= entry.cost;
    this.#onEvict?.(key, entry.value);
  }

  /** Removes every entry whose key matches. */
  deleteWhere(predicate: (key: K) => boolean): void {
    for (const key of [...this.#entries.keys()]) if (predicate(key)) this.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  get totalCost(): number {
    return this.#totalCost;
  }
}
