import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { leasePermits, returnPermits, type LeaseReply } from "./rate-limit-lease";

/**
 * Distributed fixed-window rate limiting with leased permits.
 *
 * Windows are fixed and aligned to their length on the Redis server's clock
 * (a 60 s window runs from hh:mm:00 to hh:mm:59). Each gateway instance leases
 * small batches of permits from Redis atomically (rate-limit-lease.ts: the sum
 * of leases in a window never exceeds the limit) and admits from its lease
 * locally, so the hot path pays a Redis round trip only once per lease.
 *
 * Guarantees, per bucket and window:
 * - never more admitted than the limit, across any number of instances;
 * - when demand exceeds the limit, the whole limit is admitted except permits
 *   leased by an instance whose own demand then stopped; leases shrink with the
 *   budget left (at most remaining / (2 × instances seen)), and unused permits
 *   go back to Redis once a bucket has been idle for `idleReturnMs`, so that
 *   loss stays a few permits (≥ 95% of the limit admitted in the tests).
 * Trade-off of fixed windows: a client may spend one window's limit at its end
 * and the next window's at its start, i.e. up to 2× the limit in a short burst
 * across a boundary.
 *
 * Permits of a window that ended are void (nothing to give back: the next
 * window starts from zero). A lease is trusted locally only until
 * send time + the window's remaining time as Redis reported it, which ends it
 * slightly before Redis's window does.
 */

export type Limit = { requests: number; windowSeconds: number };

export type RateDecision = {
  allowed: boolean;
  limit: number;
  /** Best estimate: this instance's unused lease plus the budget no instance has leased yet. */
  remaining: number;
  /** Seconds until the current window ends. */
  resetSeconds: number;
  /** 0 when allowed; otherwise seconds until the window ends (at least 1). */
  retryAfterSeconds: number;
};

/** Redis failed or did not answer within the command timeout; the caller applies fail-open or fail-closed. */
export class RedisUnavailableError extends Error {
  constructor(message = "Redis is unavailable for rate limiting", options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RedisUnavailableError";
  }
}

export interface RateLimiter {
  /** Resolves with the decision; rejects with RedisUnavailableError only when a lease was needed and Redis failed. */
  admit(bucket: string, limit: Limit): Promise<RateDecision>;
  /**
   * The decision at once when this instance can give it without Redis (a
   * permit in hand, or a bucket Redis just said is spent), else undefined:
   * then `admit`. Saves the hot path a promise per admit.
   */
  tryAdmit?(bucket: string, limit: Limit): RateDecision | undefined;
  /** Stops the idle sweeper and gives unused permits back. Does not close the Redis client (the caller owns it). */
  close(): Promise<void>;
}

export type LeaseEvent = { bucket: string; want: number; granted: number; unleased: number; instances: number; ms: number };

export type RateLimiterOptions = {
  /** Most permits one lease may take (default 100). Redis also caps it at remaining / (2 × instances). */
  leaseSize?: number;
  /** A lease request not answered within this many ms fails the waiting admits (default 150). */
  commandTimeoutMs?: number;
  /**
   * Unused permits of a bucket without admits for this long go back to Redis
   * (default 1000). Buckets are swept every idleReturnMs / 2.
   */
  idleReturnMs?: number;
  /** After Redis said "no permits left", deny locally for this long before asking again (default 100). */
  exhaustedRecheckMs?: number;
  /** Identifies this instance in Redis's per-window instance count (default: a random uuid). */
  instanceId?: string;
  /** Called after every answered lease request (metrics, tests). */
  onLease?: (event: LeaseEvent) => void;
};

type Waiter = { resolve(d: RateDecision): void; reject(err: Error): void };

type BucketState = {
  limit: Limit;
  window: number;
  /** performance.now() at which the leased window ends locally. */
  expiresAt: number;
  tokens: number;
  unleased: number;
  exhaustedUntil: number;
  leasing: boolean;
  waiters: Waiter[];
  /** Adaptive lease size before the cap: doubles while leases run out fast, halves when permits go back idle. */
  want: number;
  leasedAt: number;
  lastAdmitAt: number;
};

/** A lease used up faster than this asks for twice as many permits next time. */
const GROW_WHEN_SPENT_WITHIN_MS = 250;
/** Busy buckets (adaptive lease of at least this many) lease the next batch before the current one runs out. */
const PREFETCH_MIN_WANT = 8;
/** Local state of a bucket without admits for this long (and no permits held) is forgotten. */
const FORGET_IDLE_MS = 60_000;
const DEAD_STATUSES = new Set(["end", "close", "reconnecting"]);

/** Next adaptive lease size: grow ×2 (up to max) when the previous lease was spent within 250 ms. */
export function nextLeaseWant(current: number, previousLeaseAgeMs: number, max: number): number {
  return previousLeaseAgeMs < GROW_WHEN_SPENT_WITHIN_MS ? Math.min(max, current * 2) : Math.min(max, current);
}

class LeaseTimeoutError extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new LeaseTimeoutError(`no answer from Redis within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}

const secondsUntil = (at: number, now: number) => Math.max(0, Math.ceil((at - now) / 1000));

function assertLimit(limit: Limit): void {
  const ok = (n: number) => Number.isSafeInteger(n) && n >= 1;
  if (!limit || !ok(limit.requests) || !ok(limit.windowSeconds)) {
    throw new RangeError("a rate limit needs integer requests >= 1 and windowSeconds >= 1");
  }
}

export function createRateLimiter(redis: Redis, opts: RateLimiterOptions = {}): RateLimiter {
  const maxLease = Math.max(1, Math.floor(opts.leaseSize ?? 100));
  const commandTimeoutMs = opts.commandTimeoutMs ?? 150;
  const idleReturnMs = opts.idleReturnMs ?? 1_000;
  const recheckMs = opts.exhaustedRecheckMs ?? 100;
  const instanceId = opts.instanceId ?? randomUUID();
  const states = new Map<string, BucketState>();
  let closed = false;

  const allowed = (s: BucketState, now: number): RateDecision => ({
    allowed: true,
    limit: s.limit.requests,
    remaining: s.tokens + s.unleased,
    resetSeconds: secondsUntil(s.expiresAt, now),
    retryAfterSeconds: 0,
  });
  const denied = (s: BucketState, now: number): RateDecision => {
    const reset = secondsUntil(s.expiresAt, now);
    return { allowed: false, limit: s.limit.requests, remaining: 0, resetSeconds: reset, retryAfterSeconds: Math.max(1, reset) };
  };

  function drain(bucket: string, s: BucketState): void {
    const now = performance.now();
    if (now >= s.expiresAt) s.tokens = 0; // answered after its window ended: those permits are void
    const take = Math.min(s.tokens, s.waiters.length);
    if (take > 0) {
      s.tokens -= take;
      s.lastAdmitAt = now;
      for (const w of s.waiters.splice(0, take)) w.resolve(allowed(s, now));
    }
    if (s.waiters.length === 0) return;
    if (s.exhaustedUntil > now) {
      for (const w of s.waiters.splice(0)) w.resolve(denied(s, now));
      return;
    }
    startLease(bucket, s);
  }

  function apply(s: BucketState, reply: LeaseReply, sentAt: number): void {
    if (reply.window !== s.window) {
      s.tokens = 0; // permits of an ended window are void
      s.window = reply.window;
    }
    s.expiresAt = sentAt + reply.msLeft;
    s.tokens += reply.granted;
    s.unleased = reply.unleased;
    s.leasedAt = performance.now();
    s.exhaustedUntil = reply.granted === 0 ? Math.min(s.expiresAt, s.leasedAt + recheckMs) : 0;
  }

  /** A lease answered after its timeout still holds real permits: use them, or give them back. */
  function absorbLate(bucket: string, s: BucketState, reply: LeaseReply, sentAt: number): void {
    if (reply.granted === 0) return;
    const usable = !closed && states.get(bucket) === s && !s.leasing && (reply.window === s.window || s.tokens === 0);
    if (usable && sentAt + reply.msLeft > performance.now()) apply(s, reply, sentAt);
    else void returnPermits(redis, bucket, reply.window, reply.granted).catch(() => {});
  }

  function startLease(bucket: string, s: BucketState): void {
    s.leasing = true;
    // Deferred so that every admit of the current tick joins this one request.
    queueMicrotask(() => void lease(bucket, s));
  }

  async function lease(bucket: string, s: BucketState): Promise<void> {
    const sentAt = performance.now();
    if (s.window >= 0) s.want = nextLeaseWant(s.want, sentAt - s.leasedAt, maxLease);
    const want = Math.min(maxLease, Math.max(s.waiters.length, s.want));
    let reply: LeaseReply;
    try {
      if (DEAD_STATUSES.has(redis.status)) throw new Error(`Redis connection is ${redis.status}`);
      const pending = leasePermits(redis, bucket, s.limit.requests, s.limit.windowSeconds * 1000, want, instanceId);
      try {
        reply = await withTimeout(pending, commandTimeoutMs);
      } catch (err) {
        if (err instanceof LeaseTimeoutError) pending.then((r) => absorbLate(bucket, s, r, sentAt), () => {});
        throw err;
      }
    } catch (err) {
      s.leasing = false;
      const failure = new RedisUnavailableError(`rate limit lease failed: ${(err as Error).message}`, { cause: err });
      for (const w of s.waiters.splice(0)) w.reject(failure);
      return;
    }
    s.leasing = false;
    apply(s, reply, sentAt);
    opts.onLease?.({ bucket, want, granted: reply.granted, unleased: reply.unleased, instances: reply.instances, ms: performance.now() - sentAt });
    drain(bucket, s);
  }

  function giveBack(bucket: string, s: BucketState): Promise<unknown> {
    const count = s.tokens;
    s.tokens = 0;
    s.want = Math.max(1, Math.floor(s.want / 2));
    return returnPermits(redis, bucket, s.window, count).then(
      (back) => void (s.unleased += back),
      () => {},
    );
  }

  const sweeper = setInterval(
    () => {
      const now = performance.now();
      for (const [bucket, s] of states) {
        if (s.leasing || s.waiters.length > 0) continue;
        const idle = now - s.lastAdmitAt;
        if (now >= s.expiresAt) s.tokens = 0;
        else if (s.tokens > 0 && idle >= idleReturnMs) void giveBack(bucket, s);
        if (s.tokens === 0 && idle >= FORGET_IDLE_MS) states.delete(bucket);
      }
    },
    Math.max(25, Math.floor(idleReturnMs / 2)),
  );
  sweeper.unref();

  return {
    tryAdmit(bucket, limit) {
      const s = states.get(bucket);
      // Only a known bucket with the same limit (checked when its state was made), no admit waiting, window not over.
      if (closed || !s || s.waiters.length > 0 || s.limit.requests !== limit.requests || s.limit.windowSeconds !== limit.windowSeconds) {
        return undefined;
      }
      const now = performance.now();
      if (now >= s.expiresAt) return undefined;
      if (s.tokens > 0) {
        s.tokens--;
        s.lastAdmitAt = now;
        if (s.want >= PREFETCH_MIN_WANT && !s.leasing && s.unleased > 0 && s.tokens <= s.want >> 2) startLease(bucket, s);
        return allowed(s, now);
      }
      return now < s.exhaustedUntil ? denied(s, now) : undefined;
    },

    admit(bucket, limit) {
      if (closed) return Promise.reject(new Error("rate limiter is closed"));
      try {
        assertLimit(limit);
      } catch (err) {
        return Promise.reject(err);
      }
      const now = performance.now();
      let s = states.get(bucket);
      if (!s || s.limit.requests !== limit.requests || s.limit.windowSeconds !== limit.windowSeconds) {
        s = {
          limit: { requests: limit.requests, windowSeconds: limit.windowSeconds },
          window: -1,
          expiresAt: 0,
          tokens: 0,
          unleased: limit.requests,
          exhaustedUntil: 0,
          leasing: false,
          waiters: [],
          want: 1,
          leasedAt: 0,
          lastAdmitAt: now,
        };
        states.set(bucket, s);
      } else if (now >= s.expiresAt) {
        s.tokens = 0;
        s.exhaustedUntil = 0;
      }
      if (s.waiters.length === 0) {
        if (s.tokens > 0) {
          s.tokens--;
          s.lastAdmitAt = now;
          // Busy bucket: fetch the next batch while a quarter of this one is left, so admits rarely wait on Redis.
          if (s.want >= PREFETCH_MIN_WANT && !s.leasing && s.unleased > 0 && s.tokens <= s.want >> 2) startLease(bucket, s);
          return Promise.resolve(allowed(s, now));
        }
        if (now < s.exhaustedUntil) return Promise.resolve(denied(s, now));
      }
      const state = s;
      return new Promise<RateDecision>((resolve, reject) => {
        state.waiters.push({ resolve, reject });
        if (!state.leasing) startLease(bucket, state);
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      const now = performance.now();
      const returns = [...states].filter(([, s]) => s.tokens > 0 && now < s.expiresAt).map(([bucket, s]) => giveBack(bucket, s));
      await withTimeout(Promise.allSettled(returns), commandTimeoutMs * 2).catch(() => {});
      states.clear();
    },
  };
}
