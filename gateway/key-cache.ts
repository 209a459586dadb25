import type { KeyRecord } from "../lib/keys/lookup-key";
import { compileCidrs } from "../lib/policy/ip-rules";
import type { KeyResolver, ResolvedKey } from "./pipeline/types";
import { TtlCache, type CacheOutcome } from "./ttl-cache";

export type KeyLookup = (hash: Buffer) => Promise<KeyRecord | null>;

export type KeyCacheOptions = {
  lookup: KeyLookup;
  ttlMs?: number;
  /** Lifetime of a "no such key" answer: short, so a new key works at once in practice. */
  negativeTtlMs?: number;
  maxEntries?: number;
  onOutcome?: (outcome: CacheOutcome | "negative_hit") => void;
  now?: () => number;
};

/**
 * Key records by secret hash, in memory: a hit costs no Redis and no Postgres
 * round trip. Entries live `ttlMs` (30 s) unless an invalidation (pub/sub,
 * see invalidation.ts) drops them first; unknown hashes are remembered
 * briefly and in their own bounded table, so a flood of made-up keys with
 * valid checksums cannot evict real ones.
 */
export class KeyCache implements KeyResolver {
  private readonly known: TtlCache<string, ResolvedKey>;
  private readonly unknown: TtlCache<string, null>;
  private readonly loading = new Map<string, Promise<ResolvedKey | null>>();
  private epoch = 0;

  constructor(private readonly opts: KeyCacheOptions) {
    const maxEntries = opts.maxEntries ?? 10_000;
    this.known = new TtlCache({ ttlMs: opts.ttlMs ?? 30_000, maxEntries, now: opts.now });
    this.unknown = new TtlCache({ ttlMs: opts.negativeTtlMs ?? 5_000, maxEntries, now: opts.now });
  }

  /**
   * The answer memory already has for a hash (base64): the key, null for a
   * known unknown, undefined when only `resolve` can tell. Synchronous, so a
   * cached key costs no promise on the request path.
   */
  peek(id: string): ResolvedKey | null | undefined {
    const hit = this.known.peek(id);
    if (hit) {
      this.opts.onOutcome?.("hit");
      return hit;
    }
    if (this.unknown.peek(id) === null) {
      this.opts.onOutcome?.("negative_hit");
      return null;
    }
    return undefined;
  }

  resolve(hash: Buffer): Promise<ResolvedKey | null> {
    const id = hash.toString("base64");
    const cached = this.peek(id);
    if (cached !== undefined) return Promise.resolve(cached);
    this.opts.onOutcome?.("miss");
    let pending = this.loading.get(id);
    if (!pending) {
      const startEpoch = this.epoch;
      pending = this.opts
        .lookup(hash)
        .then((record) => {
          const value = record ? resolved(record) : null;
          // A lookup that raced an invalidation is answered but not kept.
          if (this.epoch === startEpoch) {
            if (value) this.known.set(id, value);
            else this.unknown.set(id, null);
          }
          return value;
        })
        .finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    return pending;
  }

  /** Drops one key (every generation) or, without keyId, every key of the tenant. */
  invalidate(tenantId: string, keyId?: string): number {
    const tenant = tenantId.toLowerCase();
    this.epoch++;
    return this.known.deleteWhere(
      (v) => v.record.tenantId.toLowerCase() === tenant && (keyId === undefined || v.record.keyId === keyId),
    );
  }

  clear(): void {
    this.epoch++;
    this.known.clear();
    this.unknown.clear();
  }

  get size(): number {
    return this.known.size;
  }
}

function resolved(record: KeyRecord): ResolvedKey {
  return { record, keyIps: compileCidrs(record.ipAllowlist), tenantIps: compileCidrs(record.tenant.ipAllowlist) };
}
