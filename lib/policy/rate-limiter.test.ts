import type { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { leaseGrant } from "./rate-limit-lease";
import { createRateLimiter, nextLeaseWant, RedisUnavailableError, type RateLimiter } from "./rate-limiter";

/** An in-memory stand-in for the two Lua scripts: same fair-share rule, one window per bucket. */
function fakeRedis(opts: { windowMs?: number; hang?: boolean; replyLater?: boolean } = {}) {
  const ledger = new Map<string, number>();
  const calls = { lease: [] as number[], returned: [] as number[] };
  const pendingReplies: (() => void)[] = [];
  const redis = {
    status: "ready",
    async evalsha(_sha: string, _n: number, key: string, ...args: (string | number)[]) {
      if (args.length === 2) {
        const back = Number(args[1]);
        calls.returned.push(back);
        ledger.set(key, (ledger.get(key) ?? 0) - back);
        return back;
      }
      const [limit, , want] = args.map(Number) as [number, number, number];
      calls.lease.push(want);
      const answer = () => {
        const granted = ledger.get(key) ?? 0;
        const grant = leaseGrant(limit - granted, 1, want);
        ledger.set(key, granted + grant);
        return [grant, limit - granted - grant, opts.windowMs ?? 60_000, 1, 1];
      };
      if (opts.replyLater) return new Promise((resolve) => setImmediate(() => resolve(answer())));
      if (!opts.hang) return answer();
      return new Promise((resolve) => pendingReplies.push(() => resolve(answer())));
    },
  };
  return { redis: redis as unknown as Redis & { status: string }, calls, ledger, pendingReplies };
}

let limiter: RateLimiter | undefined;
afterEach(async () => {
  await limiter?.close();
  limiter = undefined;
});

describe("lease sizing", () => {
  it("grants at most remaining / (2 × instances), at least 1, never more than wanted or remaining", () => {
    expect(leaseGrant(100, 1, 100)).toBe(50);
    expect(leaseGrant(100, 2, 100)).toBe(25);
    expect(leaseGrant(100, 2, 10)).toBe(10);
    expect(leaseGrant(3, 4, 10)).toBe(1);
    expect(leaseGrant(1, 1, 10)).toBe(1);
    expect(leaseGrant(0, 1, 10)).toBe(0);
    expect(leaseGrant(-5, 1, 10)).toBe(0);
    expect(leaseGrant(1_000_000, 1, 100)).toBe(100);
  });

  it("sums of successive grants never exceed the limit and reach it", () => {
    for (const instances of [1, 2, 3, 8]) {
      let remaining = 100;
      let granted = 0;
      for (let i = 0; i < 1000 && remaining > 0; i++) {
        const g = leaseGrant(remaining, instances, 64);
        granted += g;
        remaining -= g;
      }
      expect(granted).toBe(100);
    }
  });

  it("doubles the wanted lease while leases are spent fast, up to the cap", () => {
    expect(nextLeaseWant(4, 10, 100)).toBe(8);
    expect(nextLeaseWant(64, 10, 100)).toBe(100);
    expect(nextLeaseWant(8, 5_000, 100)).toBe(8);
    expect(nextLeaseWant(200, 5_000, 100)).toBe(100);
  });
});

describe("createRateLimiter (fake Redis)", () => {
  const limit = { requests: 1_000_000, windowSeconds: 60 };

  it("coalesces concurrent admits of one bucket into one lease request", async () => {
    const { redis, calls } = fakeRedis();
    limiter = createRateLimiter(redis);
    const decisions = await Promise.all(Array.from({ length: 50 }, () => limiter!.admit("b", limit)));
    expect(decisions.every((d) => d.allowed)).toBe(true);
    expect(calls.lease).toEqual([50]);
  });

  it("admits locally from the lease: few Redis calls for many sequential admits", async () => {
    const { redis, calls } = fakeRedis();
    limiter = createRateLimiter(redis, { leaseSize: 100 });
    for (let i = 0; i < 2_000; i++) expect((await limiter.admit("b", limit)).allowed).toBe(true);
    expect(calls.lease.length).toBeLessThan(30);
    expect(Math.max(...calls.lease)).toBe(100);
  });

  it("leases the next batch ahead of need on a busy bucket, so admits rarely wait for Redis", async () => {
    const { redis, calls } = fakeRedis({ replyLater: true });
    limiter = createRateLimiter(redis, { leaseSize: 100 });
    let waited = 0;
    for (let i = 0; i < 2_000; i++) {
      let settled = false;
      const decision = limiter.admit("b", limit).then((d) => ((settled = true), d));
      await Promise.resolve();
      if (!settled) waited++;
      expect((await decision).allowed).toBe(true);
      await new Promise((r) => setImmediate(r)); // lets a lease answer arrive, as a server's event loop would
    }
    expect(calls.lease.length).toBeGreaterThanOrEqual(20);
    expect(waited).toBeLessThanOrEqual(6); // only while the lease size ramps up from 1 to 8
  });

  it("denies locally after Redis reported the budget spent, without asking again at once", async () => {
    const { redis, calls } = fakeRedis();
    limiter = createRateLimiter(redis, { exhaustedRecheckMs: 10_000 });
    const small = { requests: 10, windowSeconds: 60 };
    const first = await Promise.all(Array.from({ length: 30 }, () => limiter!.admit("b", small)));
    expect(first.filter((d) => d.allowed)).toHaveLength(10);
    const leases = calls.lease.length;
    const later = await limiter.admit("b", small);
    expect(later).toMatchObject({ allowed: false, remaining: 0, limit: 10 });
    expect(later.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(later.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(calls.lease.length).toBe(leases);
  });

  it("fails with RedisUnavailableError after the command timeout, then uses the late reply's permits", async () => {
    const fake = fakeRedis({ hang: true });
    limiter = createRateLimiter(fake.redis, { commandTimeoutMs: 50 });
    const started = performance.now();
    await expect(limiter.admit("b", limit)).rejects.toBeInstanceOf(RedisUnavailableError);
    expect(performance.now() - started).toBeLessThan(150);
    fake.pendingReplies.shift()!(); // Redis answers late: 1 permit granted
    await new Promise((r) => setTimeout(r, 5));
    expect((await limiter.admit("b", limit)).allowed).toBe(true);
    expect(fake.calls.lease).toHaveLength(1);
  });

  it("fails at once when the connection is down", async () => {
    const fake = fakeRedis();
    fake.redis.status = "reconnecting";
    limiter = createRateLimiter(fake.redis);
    await expect(limiter.admit("b", limit)).rejects.toBeInstanceOf(RedisUnavailableError);
    expect(fake.calls.lease).toHaveLength(0);
  });

  it("gives unused permits back when the bucket goes idle", async () => {
    const fake = fakeRedis();
    limiter = createRateLimiter(fake.redis, { idleReturnMs: 30 });
    await Promise.all(Array.from({ length: 20 }, () => limiter!.admit("b", { requests: 100, windowSeconds: 60 })));
    // The second lease asks for twice the first one's adaptive size (2) and leaves 1 unused.
    await limiter.admit("b", { requests: 100, windowSeconds: 60 });
    expect(fake.ledger.get("b")).toBe(22);
    await new Promise((r) => setTimeout(r, 120));
    expect(fake.calls.returned).toEqual([1]);
    expect(fake.ledger.get("b")).toBe(21);
  });

  it("refuses an invalid limit", async () => {
    limiter = createRateLimiter(fakeRedis().redis);
    await expect(limiter.admit("b", { requests: 0, windowSeconds: 60 })).rejects.toBeInstanceOf(RangeError);
  });
});
