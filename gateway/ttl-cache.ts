export type TtlCacheOptions<V> = {
  /** How long a loaded value is served from memory. */
  ttlMs: number;
  /** At most this many entries; the oldest inserted is dropped first. */
  maxEntries: number;
  /** A different lifetime for some values (e.g. a short one for "not found"). */
  ttlFor?: (value: V) => number;
  now?: () => number;
};

type Entry<V> = { value: V; expiresAt: number };

export type CacheOutcome = "hit" | "miss";

/**
 * A bounded in-memory cache with per-entry expiry and single-flight loading
 * (concurrent misses for one key share one load). A load that started before
 * an invalidation is returned to its callers but not stored, so an
 * invalidation is never undone by a read that raced it.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly loading = new Map<K, Promise<V>>();
  private epoch = 0;
  private readonly now: () => number;

  constructor(private readonly opts: TtlCacheOptions<V>) {
    this.now = opts.now ?? Date.now;
  }

  /** The cached value, or null when absent or expired (expired entries are dropped). */
  peek(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  async get(key: K, load: (key: K) => Promise<V>, onOutcome?: (o: CacheOutcome) => void): Promise<V> {
    const cached = this.peek(key);
    if (cached !== undefined) {
      onOutcome?.("hit");
      return cached;
    }
    onOutcome?.("miss");
    const pending = this.loading.get(key);
    if (pending) return pending;
    const startEpoch = this.epoch;
    const promise = load(key)
      .then((value) => {
        if (this.epoch === startEpoch) this.set(key, value);
        return value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, promise);
    return promise;
  }

  set(key: K, value: V): void {
    const ttl = this.opts.ttlFor ? this.opts.ttlFor(value) : this.opts.ttlMs;
    this.entries.delete(key);
    if (this.entries.size >= this.opts.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: this.now() + ttl });
  }

  /** Drops every entry whose value matches; in-flight loads will not be stored. */
  deleteWhere(match: (value: V, key: K) => boolean): number {
    this.epoch++;
    let dropped = 0;
    for (const [key, entry] of this.entries) {
      if (match(entry.value, key)) {
        this.entries.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  clear(): void {
    this.epoch++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
