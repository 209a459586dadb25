import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Db } from "../../lib/db/client";
import { createSink } from "../../lib/log-shipping/create-sink";
import { describeSink, type SinkConfig } from "../../lib/log-shipping/sink-config";
import type { Sink } from "../../lib/log-shipping/sink";
import type { Stream } from "../../lib/log-shipping/ship-record";
import { shipOnce } from "../../lib/log-shipping/ship-run";
import { globalKey } from "../../lib/redis/keys";

export type LogShipperOptions = {
  db: Db;
  /** For the per-sink lock that keeps one shipper per sink across worker processes. */
  redis: Redis;
  logger: Logger;
  /** Configured sinks, or ready sink objects (tests). */
  sinks: (SinkConfig | Sink)[];
  /** Pause between runs while a sink is caught up. */
  intervalMs: number;
  batchSize: number;
  /** Records per run and sink across tenants. */
  maxRecords?: number;
  securitySettleSeconds: number;
  /** Ceiling of the exponential backoff after failures. */
  maxBackoffMs?: number;
  lockTtlMs?: number;
};

export type LogShipper = {
  /** Stops after the run in progress; closes the sinks and releases the locks. */
  close(): Promise<void>;
};

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const HOLD = `local v = redis.call("get", KEYS[1])
if v == ARGV[1] then redis.call("pexpire", KEYS[1], ARGV[2]) return 1 end
if not v then redis.call("set", KEYS[1], ARGV[1], "PX", ARGV[2]) return 1 end
return 0`;

/** A sink owing records older than this gets a "behind" line (at most one a minute). */
const LAG_WARN_SECONDS = 300;

export function backoffMs(attempt: number, maxMs: number, random = Math.random): number {
  const base = Math.min(maxMs, 1_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Ships the audit trail and the security log to every configured sink, each
 * sink in a loop of its own so that one that is down or slow never holds up
 * the others. A sink's loop runs only in the worker process holding that
 * sink's Redis lock (taken over when the holder dies), and moves each
 * tenant's cursor only past what the sink acknowledged (ship-run.ts).
 * Failures back off exponentially, the sink as a whole when it is
 * unreachable, a single tenant's stream when the sink refuses its records
 * (that stream is left out of the reads until its backoff ends). Only runs
 * that read records to ship — and so shipped them or failed — leave a
 * platform audit entry (`operator.read`); a caught-up sink's runs leave none.
 */
export function startLogShipper(opts: LogShipperOptions): LogShipper {
  const sinks = opts.sinks.map((s) => ("send" in s ? s : createSink(s)));
  const maxBackoff = opts.maxBackoffMs ?? 60_000;
  const lockTtl = opts.lockTtlMs ?? Math.max(60_000, opts.intervalMs * 6);
  const token = randomUUID();
  let stopped = false;
  const wakers = new Set<() => void>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopped) return resolve();
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });

  async function loop(sink: Sink): Promise<void> {
    const lockKey = globalKey("logship", "lock", sink.name);
    const logger = opts.logger.child({ sink: sink.name, sink_type: sink.type });
    const streamBackoff = new Map<string, { stream: Stream; tenantId: string; attempts: number; until: number }>();
    let sinkAttempts = 0;
    let holding = false;
    let lagLoggedAt = 0;
    const hold = async () => (await opts.redis.eval(HOLD, 1, lockKey, token, lockTtl)) === 1;
    while (!stopped) {
      let delay = opts.intervalMs;
      try {
        const held = await hold();
        if (held !== holding) logger.info({ lock: held ? "acquired" : "held elsewhere" }, "log shipper lock");
        holding = held;
        if (held) {
          const r = await shipOnce(sink, {
            db: opts.db,
            batchSize: opts.batchSize,
            maxRecords: opts.maxRecords ?? opts.batchSize * 20,
            securitySettleSeconds: opts.securitySettleSeconds,
            // Streams backing off are not even read: a run with nothing else owed reads nothing and records nothing.
            exclude: [...streamBackoff.values()].filter((b) => b.until > Date.now()),
            // Renew the lock batch by batch; a stop or a lost lock ends the run after the batch in flight.
            keepGoing: async () => !stopped && (await hold()),
          });
          if (r.lagSeconds > LAG_WARN_SECONDS && Date.now() - lagLoggedAt > 60_000) {
            lagLoggedAt = Date.now();
            logger.warn({ lag_seconds: r.lagSeconds, shipped: r.shipped, failures: r.failures.length }, "log sink behind: oldest record owed is older than 5 minutes");
          }
          for (const gap of r.gaps) {
            logger.warn({ tenant_id: gap.tenantId, after_seq: gap.after, next_seq: gap.next }, "audit entries missing before shipping (deleted by retention or tampering)");
          }
          const failed = new Set<string>();
          const sinkRetryIn = r.sinkDown ? backoffMs(sinkAttempts + 1, maxBackoff) : 0;
          for (const f of r.failures) {
            const key = `${f.stream}:${f.tenantId}`;
            failed.add(key);
            const attempts = (streamBackoff.get(key)?.attempts ?? 0) + 1;
            const retryIn = backoffMs(attempts, maxBackoff);
            if (!r.sinkDown) streamBackoff.set(key, { stream: f.stream, tenantId: f.tenantId, attempts, until: Date.now() + retryIn });
            logger.warn(
              { stream: f.stream, tenant_id: f.tenantId, shipped_to: f.shippedTo, lag_seconds: f.lagSeconds, retry_in_ms: r.sinkDown ? sinkRetryIn : retryIn, err: { message: f.error } },
              "log sink lagging: delivery failed",
            );
          }
          for (const key of streamBackoff.keys()) {
            if (!failed.has(key) && (streamBackoff.get(key)?.until ?? 0) <= Date.now()) streamBackoff.delete(key);
          }
          if (r.shipped) logger.debug({ shipped: r.shipped, more: r.more }, "log records shipped");
          if (r.sinkDown) {
            sinkAttempts++;
            delay = sinkRetryIn;
          } else {
            if (sinkAttempts) logger.info({ after_attempts: sinkAttempts }, "log sink reachable again");
            sinkAttempts = 0;
            delay = r.more ? 0 : opts.intervalMs;
          }
        }
      } catch (err) {
        sinkAttempts++;
        delay = backoffMs(sinkAttempts, maxBackoff);
        logger.warn({ retry_in_ms: delay, err: { message: (err as Error).message } }, "log shipping run failed");
      }
      await sleep(delay);
    }
    await sink.close().catch(() => {});
    await opts.redis.eval(RELEASE, 1, lockKey, token).catch(() => {});
  }

  for (const s of opts.sinks) {
    if ("send" in s) continue;
    const d = describeSink(s);
    opts.logger.info({ sink: d.name, sink_type: d.type, target: d.target }, "log sink configured");
  }
  const loops = sinks.map((s) => loop(s));
  return {
    async close() {
      stopped = true;
      for (const wake of [...wakers]) wake();
      await Promise.all(loops);
    },
  };
}
