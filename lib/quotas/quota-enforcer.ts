import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { RedisUnavailableError } from "../policy/rate-limiter";
import { systemClock, type Clock } from "./clock";
import { periodAt, secondsUntilEnd, type Period, type PeriodKind } from "./period";
import type { QuotaPolicy } from "./quota-policy";
import { COUNTER_RETENTION_SECONDS, quotaCounterKey, syncQuota, type SyncReply } from "./quota-counter";

/**
 * Per-tenant quotas in the gateway, by the rate limiter's method: request
 * permits of a hard request quota are leased from Redis in small batches
 * (quota-counter.ts: the sum of leases never exceeds the quota) and spent
 * locally, so an admitted request costs no Redis round trip of its own.
 * Admitted requests and the tokens of finished responses are counted locally
 * and reported in batches (every `syncIntervalMs`, and with every lease).
 *
 * - Hard request quota: never more admitted than the quota, across instances.
 *   Unused permits go back after `idleReturnMs` without admits, so demand on
 *   another instance can still use them.
 * - Hard token quota: tokens are known only after a response, so requests are
 *   denied once the reported total reached the quota. Requests already in
 *   flight (and the last sync interval's tokens) can overshoot it.
 * - Soft quotas admit, and mark the response (`X-Quota-Warning`).
 * - Once per period and metric (across instances), `onReached` fires when the
 *   reported use first reaches the limit (soft or hard).
 */

export type QuotaMetric = "requests" | "tokens";

export type QuotaReachedEvent = {
  tenantId: string;
  period: PeriodKind;
  periodKey: string;
  metric: QuotaMetric;
  limit: number;
  used: number;
  hard: boolean;
};

export type QuotaDecision =
  | { allowed: true; warnings: QuotaMetric[]; period: Period; handle: QuotaHandle }
  | { allowed: false; metric: QuotaMetric; limit: number; period: Period; retryAfterSeconds: number };

/** What token usage of an admitted request is charged to (its tenant's period at admission). */
export type QuotaHandle = { readonly bucket: unknown };

export interface QuotaEnforcer {
  /** Decides one request of `tenantId` under `policy`; synchronous whenever no lease is needed. */
  admit(tenantId: string, policy: QuotaPolicy): QuotaDecision | Promise<QuotaDecision>;
  /** Counts the tokens of a finished response against the period it was admitted in. */
  recordTokens(handle: QuotaHandle, tokens: number): void;
  /** Reports pending counts now (tests; close() does it too). */
  flush(): Promise<void>;
  /** Stops the timer, reports pending counts and gives unused permits back. */
  close(): Promise<void>;
}

export type QuotaEnforcerOptions = {
  clock?: Clock;
  /** Most permits one lease may take (default 50). */
  leaseSize?: number;
  /** How often pending counts are reported (default 500 ms). */
  syncIntervalMs?: number;
  /** A lease not answered within this many ms fails the waiting requests (default 150). */
  commandTimeoutMs?: number;
  /** Unused permits of a tenant without admits for this long go back to Redis (default 1000). */
  idleReturnMs?: number;
  /** After Redis said "no permits left", deny locally for this long before asking again (default 250). */
  exhaustedRecheckMs?: number;
  instanceId?: string;
  onReached?: (event: QuotaReachedEvent) => void;
  /** A background report failed (counts are kept and sent with the next one). */
  onSyncError?: (err: Error) => void;
};

type Waiter = { resolve(d: QuotaDecision): void; reject(err: Error): void };

type Bucket = {
  tenantId: string;
  key: string;
  period: Period;
  policy: QuotaPolicy;
  permits: number;
  /** Global use as of the last report. */
  used: number;
  tokens: number;
  pendingUsed: number;
  pendingTokens: number;
  leasing: boolean;
  syncing: boolean;
  waiters: Waiter[];
  want: number;
  exhaustedUntil: number;
  lastAdmitAt: number;
  leasedAt: number;
  reached: Set<QuotaMetric>;
  /** Whether Redis has answered for this bucket yet (a hard token quota waits for it). */
  known: boolean;
};

const DEAD_STATUSES = new Set(["end", "close", "reconnecting"]);
/** A tenant with admits this recent refreshes its view of the others' use on every sync tick. */
const ACTIVE_MS = 5_000;

function samePolicy(a: QuotaPolicy, b: QuotaPolicy): boolean {
  return (
    a === b ||
    (a.period === b.period &&
      a.timeZone === b.timeZone &&
      a.requests?.limit === b.requests?.limit &&
      a.requests?.hard === b.requests?.hard &&
      a.tokens?.limit === b.tokens?.limit &&
      a.tokens?.hard === b.tokens?.hard)
  );
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

export function createQuotaEnforcer(redis: Redis, opts: QuotaEnforcerOptions = {}): QuotaEnforcer {
  const clock = opts.clock ?? systemClock;
  const maxLease = Math.max(1, Math.floor(opts.leaseSize ?? 50));
  const syncIntervalMs = opts.syncIntervalMs ?? 500;
  const commandTimeoutMs = opts.commandTimeoutMs ?? 150;
  const idleReturnMs = opts.idleReturnMs ?? 1_000;
  const recheckMs = opts.exhaustedRecheckMs ?? 250;
  const instanceId = opts.instanceId ?? randomUUID();
  const current = new Map<string, Bucket>();
  /** Buckets of ended periods or replaced policies, kept until their counts are reported. */
  const retiring = new Set<Bucket>();
  let closed = false;

  function bucketFor(tenantId: string, policy: QuotaPolicy, at: Date): Bucket {
    const existing = current.get(tenantId);
    if (existing && at < existing.period.endsAt && at >= existing.period.startsAt && samePolicy(existing.policy, policy)) {
      existing.policy = policy;
      return existing;
    }
    if (existing) retiring.add(existing);
    const period = periodAt(policy.period, policy.timeZone, at);
    const bucket: Bucket = {
      tenantId,
      key: quotaCounterKey(tenantId, period.kind, period.key),
      period,
      policy,
      permits: 0,
      used: 0,
      tokens: 0,
      pendingUsed: 0,
      pendingTokens: 0,
      leasing: false,
      syncing: false,
      waiters: [],
      want: 1,
      exhaustedUntil: 0,
      lastAdmitAt: performance.now(),
      leasedAt: 0,
      reached: new Set(),
      known: false,
    };
    current.set(tenantId, bucket);
    return bucket;
  }

  const ttlOf = (b: Bucket) =>
    Math.max(60, Math.ceil((b.period.endsAt.getTime() - clock.now().getTime()) / 1000) + COUNTER_RETENTION_SECONDS);

  function applyReply(b: Bucket, reply: SyncReply): void {
    b.known = true;
    b.used = reply.used;
    b.tokens = reply.tokens;
    const fire = (metric: QuotaMetric, limit: number, used: number, hard: boolean) => {
      if (b.reached.has(metric)) return;
      b.reached.add(metric);
      opts.onReached?.({ tenantId: b.tenantId, period: b.period.kind, periodKey: b.period.key, metric, limit, used, hard });
    };
    if (reply.reachedRequests && b.policy.requests) fire("requests", b.policy.requests.limit, reply.used, b.policy.requests.hard);
    if (reply.reachedTokens && b.policy.tokens) fire("tokens", b.policy.tokens.limit, reply.tokens, b.policy.tokens.hard);
  }

  function request(b: Bucket, want: number, usedDelta: number, tokensDelta: number, giveBack: number) {
    return syncQuota(redis, b.key, {
      hardRequests: b.policy.requests?.hard ? b.policy.requests.limit : 0,
      want,
      usedDelta,
      tokensDelta,
      giveBack,
      instanceId,
      ttlSeconds: ttlOf(b),
      requestsLimit: b.policy.requests?.limit ?? 0,
      tokensLimit: b.policy.tokens?.limit ?? 0,
    });
  }

  function denial(b: Bucket, metric: QuotaMetric): QuotaDecision {
    const limit = metric === "requests" ? b.policy.requests!.limit : b.policy.tokens!.limit;
    return { allowed: false, metric, limit, period: b.period, retryAfterSeconds: secondsUntilEnd(b.period, clock.now()) };
  }

  function admitted(b: Bucket): QuotaDecision {
    b.pendingUsed++;
    b.lastAdmitAt = performance.now();
    const warnings: QuotaMetric[] = [];
    const { requests, tokens } = b.policy;
    if (requests && !requests.hard && b.used + b.pendingUsed >= requests.limit) warnings.push("requests");
    if (tokens && !tokens.hard && b.tokens + b.pendingTokens >= tokens.limit) warnings.push("tokens");
    return { allowed: true, warnings, period: b.period, handle: { bucket: b } };
  }

  function tokensExhausted(b: Bucket): boolean {
    const t = b.policy.tokens;
    return t !== null && t.hard && b.tokens + b.pendingTokens >= t.limit;
  }

  function drain(b: Bucket): void {
    const now = performance.now();
    const hardRequests = b.policy.requests?.hard === true;
    while (b.waiters.length > 0 && (!hardRequests || b.permits > 0)) {
      const w = b.waiters.shift()!;
      if (tokensExhausted(b)) {
        w.resolve(denial(b, "tokens"));
        continue;
      }
      if (hardRequests) b.permits--;
      w.resolve(admitted(b));
    }
    if (b.waiters.length === 0) return;
    if (b.exhaustedUntil > now) {
      for (const w of b.waiters.splice(0)) w.resolve(denial(b, "requests"));
      return;
    }
    startLease(b);
  }

  function startLease(b: Bucket): void {
    b.leasing = true;
    queueMicrotask(() => void lease(b));
  }

  async function lease(b: Bucket): Promise<void> {
    const sentAt = performance.now();
    if (b.leasedAt > 0 && sentAt - b.leasedAt < 250) b.want = Math.min(maxLease, b.want * 2);
    // Without a hard request quota this only fetches the period's use so far (first request of a hard token quota).
    const want = b.policy.requests?.hard ? Math.min(maxLease, Math.max(b.waiters.length, b.want)) : 0;
    let reply: SyncReply;
    try {
      if (DEAD_STATUSES.has(redis.status)) throw new Error(`Redis connection is ${redis.status}`);
      const pending = request(b, want, 0, 0, 0);
      try {
        reply = await withTimeout(pending, commandTimeoutMs);
      } catch (err) {
        // Answered late: the permits are real; keep them for this period or give them back.
        if (err instanceof LeaseTimeoutError) pending.then((r) => void (b.permits += r.granted), () => {});
        throw err;
      }
    } catch (err) {
      b.leasing = false;
      const failure = new RedisUnavailableError(`quota lease failed: ${(err as Error).message}`, { cause: err });
      for (const w of b.waiters.splice(0)) w.reject(failure);
      return;
    }
    b.leasing = false;
    b.leasedAt = performance.now();
    b.permits += reply.granted;
    applyReply(b, reply);
    b.exhaustedUntil = reply.granted === 0 ? b.leasedAt + recheckMs : 0;
    drain(b);
  }

  async function sync(b: Bucket, giveBack: boolean): Promise<void> {
    if (b.syncing || b.leasing) return;
    const usedDelta = b.pendingUsed;
    const tokensDelta = b.pendingTokens;
    const back = giveBack ? b.permits : 0;
    b.pendingUsed = 0;
    b.pendingTokens = 0;
    b.permits -= back;
    b.syncing = true;
    try {
      applyReply(b, await request(b, 0, usedDelta, tokensDelta, back));
      if (back > 0) b.want = Math.max(1, Math.floor(b.want / 2));
    } catch (err) {
      b.pendingUsed += usedDelta;
      b.pendingTokens += tokensDelta;
      b.permits += back;
      opts.onSyncError?.(err as Error);
    } finally {
      b.syncing = false;
    }
  }

  function tick(): Promise<unknown> {
    const now = performance.now();
    const at = clock.now();
    const work: Promise<void>[] = [];
    for (const b of retiring) {
      if (b.pendingUsed === 0 && b.pendingTokens === 0 && b.waiters.length === 0) {
        if (b.permits > 0 && at < b.period.endsAt) work.push(sync(b, true));
        else retiring.delete(b);
        continue;
      }
      work.push(sync(b, at < b.period.endsAt));
    }
    for (const [tenantId, b] of current) {
      if (b.waiters.length > 0) continue;
      const idle = now - b.lastAdmitAt;
      const ended = at >= b.period.endsAt;
      const pending = b.pendingUsed > 0 || b.pendingTokens > 0;
      const giveBack = b.permits > 0 && !ended && idle >= idleReturnMs;
      if (pending || giveBack || idle < ACTIVE_MS) work.push(sync(b, giveBack));
      if (!pending && b.permits === 0 && (ended || idle >= 60_000)) current.delete(tenantId);
    }
    return Promise.allSettled(work);
  }

  const timer = setInterval(() => void tick(), syncIntervalMs);
  timer.unref();

  return {
    admit(tenantId, policy) {
      if (closed) return Promise.reject(new Error("quota enforcer is closed"));
      const b = bucketFor(tenantId, policy, clock.now());
      const mustAsk = !b.known && b.policy.tokens?.hard === true;
      if (!mustAsk && tokensExhausted(b)) return denial(b, "tokens");
      if (!mustAsk && !b.policy.requests?.hard) return admitted(b);
      const now = performance.now();
      if (b.waiters.length === 0 && !mustAsk) {
        if (b.permits > 0) {
          b.permits--;
          return admitted(b);
        }
        if (now < b.exhaustedUntil) return denial(b, "requests");
      }
      return new Promise<QuotaDecision>((resolve, reject) => {
        b.waiters.push({ resolve, reject });
        if (!b.leasing) startLease(b);
      });
    },

    recordTokens(handle, tokens) {
      if (!Number.isFinite(tokens) || tokens <= 0) return;
      const b = handle.bucket as Bucket;
      b.pendingTokens += Math.floor(tokens);
      if (current.get(b.tenantId) !== b) retiring.add(b);
    },

    async flush() {
      await tick();
      // A report that was in flight during the tick may have left counts behind.
      if ([...current.values(), ...retiring].some((b) => b.pendingUsed > 0 || b.pendingTokens > 0)) await tick();
    },

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      const at = clock.now();
      const all = [...current.values(), ...retiring];
      await withTimeout(
        Promise.allSettled(all.map((b) => sync(b, at < b.period.endsAt))),
        commandTimeoutMs * 4,
      ).catch(() => {});
      current.clear();
      retiring.clear();
    },
  };
}
