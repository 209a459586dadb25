import { describe, expect, it, vi } from "vitest";
import type { KeyRecord } from "../lib/keys/lookup-key";
import { KeyCache } from "./key-cache";

const TENANT = "3f2c1a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60";
const OTHER = "9a9a9a9a-0000-4000-8000-000000000000";

function record(keyId: string, tenantId = TENANT): KeyRecord {
  return {
    tenantId,
    keyId,
    generation: 1,
    scopes: ["inference"],
    modelAllowlist: [],
    ipAllowlist: ["10.0.0.0/8"],
    rateLimit: null,
    validUntil: null,
    revoked: false,
    tenant: { status: "active", ipAllowlist: [], redisFailureMode: "closed", maxBodyBytes: 1024, rateLimit: null },
  };
}

const hash = (n: number) => Buffer.alloc(32, n);

describe("KeyCache", () => {
  it("serves a found key from memory until its TTL, and compiles its allow-lists once", async () => {
    let now = 0;
    const lookup = vi.fn(async () => record("k1"));
    const outcomes: string[] = [];
    const cache = new KeyCache({ lookup, ttlMs: 1_000, now: () => now, onOutcome: (o) => outcomes.push(o) });
    const first = await cache.resolve(hash(1));
    expect(first!.keyIps.cidrs).toEqual(["10.0.0.0/8"]);
    expect(await cache.resolve(hash(1))).toBe(first);
    now = 1_001;
    await cache.resolve(hash(1));
    expect(lookup).toHaveBeenCalledTimes(2);
    expect(outcomes).toEqual(["miss", "hit", "miss"]);
  });

  it("remembers unknown hashes briefly", async () => {
    let now = 0;
    const lookup = vi.fn(async () => null);
    const cache = new KeyCache({ lookup, negativeTtlMs: 100, now: () => now });
    expect(await cache.resolve(hash(2))).toBeNull();
    expect(await cache.resolve(hash(2))).toBeNull();
    expect(lookup).toHaveBeenCalledTimes(1);
    now = 101;
    await cache.resolve(hash(2));
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it("concurrent misses share one lookup", async () => {
    let release!: () => void;
    const lookup = vi.fn(() => new Promise<KeyRecord>((r) => (release = () => r(record("k3")))));
    const cache = new KeyCache({ lookup });
    const all = Promise.all([cache.resolve(hash(3)), cache.resolve(hash(3)), cache.resolve(hash(3))]);
    release();
    const [a, b, c] = await all;
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(lookup).toHaveBeenCalledTimes(1);
  });

  it("drops one key, or a whole tenant, on invalidation", async () => {
    const records = new Map([
      [1, record("k1")],
      [2, record("k2")],
      [3, record("k3", OTHER)],
    ]);
    const lookup = vi.fn(async (h: Buffer) => records.get(h[0]!)!);
    const cache = new KeyCache({ lookup });
    for (const n of [1, 2, 3]) await cache.resolve(hash(n));
    expect(cache.invalidate(TENANT, "k1")).toBe(1);
    expect(cache.size).toBe(2);
    expect(cache.invalidate(TENANT.toUpperCase())).toBe(1);
    expect(cache.size).toBe(1);
    await cache.resolve(hash(3));
    expect(lookup).toHaveBeenCalledTimes(3);
  });

  it("a lookup that raced an invalidation is answered but not kept", async () => {
    let release!: () => void;
    const lookup = vi.fn(() => new Promise<KeyRecord>((r) => (release = () => r(record("k4")))));
    const cache = new KeyCache({ lookup });
    const pending = cache.resolve(hash(4));
    cache.invalidate(TENANT, "k4");
    release();
    expect(await pending).not.toBeNull();
    expect(cache.size).toBe(0);
  });

  it("stays bounded", async () => {
    const cache = new KeyCache({ lookup: async (h) => record(`k${h[0]}`), maxEntries: 3 });
    for (let n = 0; n < 10; n++) await cache.resolve(hash(n));
    expect(cache.size).toBe(3);
  });
});
