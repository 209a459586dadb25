import os from "node:os";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Db } from "../../lib/db/client";
import { withTenant } from "../../lib/db/tenant-scope";
import { storeUsageBatch } from "../../lib/usage/ingest-usage";
import { fromStreamFields, USAGE_STREAM, usageRecord, type UsageRecord } from "../../lib/usage/usage-record";

/** The consumer group that stores the gateway's usage records (`mg:usage`) in usage_events and usage_rollups. */
export const USAGE_GROUP = "usage-events";
export const DEFAULT_USAGE_BATCH_SIZE = 500;
export const DEFAULT_USAGE_CLAIM_IDLE_MS = 60_000;

type Entry = [id: string, fields: string[] | null];

export async function ensureUsageGroup(redis: Redis, stream: string = USAGE_STREAM): Promise<void> {
  try {
    // From the stream's start: usage recorded before the first worker ran is counted too.
    await redis.xgroup("CREATE", stream, USAGE_GROUP, "0", "MKSTREAM");
  } catch (err) {
    if (!(err as Error).message.includes("BUSYGROUP")) throw err;
  }
}

function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string; originalCode?: string }; meta?: { code?: string }; message?: string };
  return (
    e?.code === "P2003" ||
    e?.cause?.code === "23503" ||
    e?.cause?.originalCode === "23503" ||
    e?.meta?.code === "23503" ||
    /foreign key/i.test(e?.message ?? "")
  );
}

export type UsageIngestOptions = {
  db: Db;
  logger: Logger;
  consumer: string;
  /** Entries per batch (USAGE_BATCH_SIZE). */
  count?: number;
  /** Pending entries idle this long are taken over from their consumer (USAGE_CLAIM_IDLE_MS). */
  claimIdleMs?: number;
  /** How long XREADGROUP waits for new entries (0: do not wait). */
  blockMs?: number;
  stream?: string;
};

export type UsageBatchResult = { read: number; inserted: number; acked: number };

/**
 * One batch, at least once and counted once: entries that a crashed (or
 * failing) consumer left pending for `claimIdleMs` first (XAUTOCLAIM), else
 * new ones (XREADGROUP). Each tenant's records are stored in one transaction
 * through that tenant's RLS scope (storeUsageBatch: events de-duplicated by
 * request id, rollups grown only by new events), and their entries are
 * acknowledged only after it committed. A crash between commit and XACK
 * redelivers entries whose events already exist: they insert and count nothing.
 */
export async function ingestUsageEvents(redis: Redis, opts: UsageIngestOptions): Promise<UsageBatchResult> {
  const stream = opts.stream ?? USAGE_STREAM;
  const count = opts.count ?? DEFAULT_USAGE_BATCH_SIZE;
  const claimed = (await redis.xautoclaim(stream, USAGE_GROUP, opts.consumer, opts.claimIdleMs ?? DEFAULT_USAGE_CLAIM_IDLE_MS, "0-0", "COUNT", count)) as [string, Entry[]];
  let entries: Entry[] = (claimed[1] ?? []).filter((e) => e[1] !== null);
  if (entries.length === 0) {
    const read = opts.blockMs
      ? await redis.xreadgroup("GROUP", USAGE_GROUP, opts.consumer, "COUNT", count, "BLOCK", opts.blockMs, "STREAMS", stream, ">")
      : await redis.xreadgroup("GROUP", USAGE_GROUP, opts.consumer, "COUNT", count, "STREAMS", stream, ">");
    entries = ((read as [string, Entry[]][] | null)?.[0]?.[1] ?? []).filter((e) => e[1] !== null);
  }
  if (entries.length === 0) return { read: 0, inserted: 0, acked: 0 };

  const byTenant = new Map<string, { ids: string[]; records: UsageRecord[] }>();
  const ack: string[] = [];
  for (const [id, fields] of entries) {
    const record = fromStreamFields(usageRecord, fields ?? []);
    if (!record) {
      opts.logger.warn({ stream, entry: id }, "dropped a malformed usage record");
      ack.push(id);
      continue;
    }
    const tenantId = record.tenantId.toLowerCase();
    const group = byTenant.get(tenantId) ?? { ids: [], records: [] };
    group.ids.push(id);
    group.records.push(record);
    byTenant.set(tenantId, group);
  }
  let inserted = 0;
  for (const [tenantId, group] of byTenant) {
    try {
      inserted += await withTenant(tenantId, (tx) => storeUsageBatch(tx, tenantId, group.records), opts.db);
      ack.push(...group.ids);
    } catch (err) {
      if (isForeignKeyViolation(err)) {
        ack.push(...group.ids); // the tenant is gone: nothing to count them under
        continue;
      }
      opts.logger.warn(
        { tenant_id: tenantId, records: group.records.length, err: { message: (err as Error).message } },
        "usage not stored; the entries stay pending and are retried",
      );
    }
  }
  if (ack.length) await redis.xack(stream, USAGE_GROUP, ...ack);
  return { read: entries.length, inserted, acked: ack.length };
}

export type UsageConsumer = { close(): Promise<void> };

/**
 * Drains `mg:usage` for as long as the worker runs, on a connection of its own
 * (XREADGROUP blocks it). Several workers share the group; each entry is
 * stored by one of them, and taken over by another if that one dies first.
 * close() lets the batch in hand finish (its transaction and XACK) first.
 */
export function startUsageConsumer(
  connection: Redis,
  opts: Omit<UsageIngestOptions, "consumer" | "blockMs"> & { consumer?: string },
): UsageConsumer {
  const redis = connection.duplicate({ connectionName: "mg-workers-usage" });
  redis.on("error", () => {}); // the connection's owner logs; the loop below retries
  const consumer = opts.consumer ?? `${os.hostname()}-${process.pid}`;
  let stopped = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    let groupReady = false;
    while (!stopped) {
      try {
        if (!groupReady) {
          await ensureUsageGroup(redis, opts.stream);
          groupReady = true;
        }
        const batch = await ingestUsageEvents(redis, { ...opts, consumer, blockMs: 1_000 });
        if (batch.inserted) opts.logger.debug({ read: batch.read, inserted: batch.inserted }, "usage batch stored");
      } catch (err) {
        if (stopped) break;
        if ((err as Error).message.includes("NOGROUP")) groupReady = false;
        opts.logger.warn({ err: { message: (err as Error).message } }, "usage consumer: retrying in 1 s");
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 1_000).unref();
        });
      }
    }
  })();
  return {
    async close() {
      stopped = true;
      wake?.();
      // A blocked XREADGROUP returns within blockMs; a batch in hand commits and acknowledges first.
      await loop;
      redis.disconnect();
    },
  };
}
