import os from "node:os";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Db } from "../../lib/db/client";
import { isForeignKeyViolation, sqlStateOf } from "../../lib/db/pg-errors";
import { withTenant } from "../../lib/db/tenant-scope";
import { storeUsageBatch } from "../../lib/usage/ingest-usage";
import {
  deadRecord,
  deadStreamOf,
  parseUsageEntry,
  USAGE_CONSUMER_GROUP,
  writeDeadUsageEntries,
  type DeadUsageEntry,
} from "../../lib/usage/usage-dead-letter";
import { USAGE_STREAM, type UsageRecord } from "../../lib/usage/usage-record";

/** The consumer group that stores the gateway's usage records (`mg:usage`) in usage_events and usage_rollups. */
export const USAGE_GROUP = USAGE_CONSUMER_GROUP;
export const DEFAULT_USAGE_BATCH_SIZE = 500;
export const DEFAULT_USAGE_CLAIM_IDLE_MS = 60_000;
/** Deliveries after which an entry that still cannot be stored, while the database answers, is dead-lettered. */
export const DEFAULT_USAGE_MAX_DELIVERIES = 10;

type Entry = [id: string, fields: string[] | null];

export async function ensureUsageGroup(redis: Redis, stream: string = USAGE_STREAM): Promise<void> {
  try {
    // From the stream's start: usage recorded before the first worker ran is counted too.
    await redis.xgroup("CREATE", stream, USAGE_GROUP, "0", "MKSTREAM");
  } catch (err) {
    if (!(err as Error).message.includes("BUSYGROUP")) throw err;
  }
}

/**
 * A data exception (22xxx) or integrity violation (23xxx) is the record's own
 * fault: it fails the same way on every delivery. Anything else (connection,
 * timeout, serialization, a missing grant) may pass on a later one.
 */
const isRecordError = (state: string | null) => state !== null && (state.startsWith("22") || state.startsWith("23"));

/** Why a record could not be stored, without Postgres's message (it may quote the value). */
const failureOf = (err: unknown) => {
  const state = sqlStateOf(err);
  return state ? `SQLSTATE ${state}` : (err as Error)?.name || "error";
};

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
  /** Where entries that can never be stored go (default: the stream's `:dead` stream, `mg:usage:dead`). */
  deadStream?: string;
  /** Deliveries after which an entry failing for any reason, while the database answers, is dead-lettered. */
  maxDeliveries?: number;
};

export type UsageBatchResult = { read: number; inserted: number; acked: number; dead: number };

/** How often each entry has been delivered (XPENDING), by id. */
async function deliveryCounts(redis: Redis, stream: string, ids: readonly string[]): Promise<Map<string, number>> {
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.xpending(stream, USAGE_GROUP, id, id, 1);
  const results = (await pipeline.exec()) ?? [];
  const counts = new Map<string, number>();
  results.forEach(([err, rows], i) => {
    const row = !err && Array.isArray(rows) ? (rows[0] as [string, string, number, number] | undefined) : undefined;
    counts.set(ids[i]!, row ? Number(row[3]) : 1);
  });
  return counts;
}

async function databaseAnswers(db: Db, tenantId: string): Promise<boolean> {
  try {
    await withTenant(tenantId, (tx) => tx.$queryRaw`SELECT 1`, db);
    return true;
  } catch {
    return false;
  }
}

/**
 * One batch, at least once and counted once: entries that a crashed (or
 * failing) consumer left pending for `claimIdleMs` first (XAUTOCLAIM), else
 * new ones (XREADGROUP). Each tenant's records are stored in one transaction
 * through that tenant's RLS scope (storeUsageBatch: events de-duplicated by
 * request id, rollups grown only by new events), and their entries are
 * acknowledged only after it committed. A crash between commit and XACK
 * redelivers entries whose events already exist: they insert and count nothing.
 *
 * Poison entries do not hold the stream up: a malformed one, or one Postgres
 * refuses with a data or integrity error, is appended to the dead letter
 * (lib/usage/usage-dead-letter.ts) with the reason and acknowledged; when a
 * tenant's batch fails that way, its records are stored one by one so the
 * others still count. A batch failing otherwise stays pending and is retried
 * (a database outage loses nothing); once its entries have been delivered
 * `maxDeliveries` times while the database answers, the records that still
 * fail on their own are dead-lettered too. Logs never carry an entry's values.
 */
export async function ingestUsageEvents(redis: Redis, opts: UsageIngestOptions): Promise<UsageBatchResult> {
  const stream = opts.stream ?? USAGE_STREAM;
  const count = opts.count ?? DEFAULT_USAGE_BATCH_SIZE;
  const maxDeliveries = opts.maxDeliveries ?? DEFAULT_USAGE_MAX_DELIVERIES;
  const claimed = (await redis.xautoclaim(stream, USAGE_GROUP, opts.consumer, opts.claimIdleMs ?? DEFAULT_USAGE_CLAIM_IDLE_MS, "0-0", "COUNT", count)) as [string, Entry[]];
  let entries: Entry[] = (claimed[1] ?? []).filter((e) => e[1] !== null);
  const wasClaimed = entries.length > 0;
  if (entries.length === 0) {
    const read = opts.blockMs
      ? await redis.xreadgroup("GROUP", USAGE_GROUP, opts.consumer, "COUNT", count, "BLOCK", opts.blockMs, "STREAMS", stream, ">")
      : await redis.xreadgroup("GROUP", USAGE_GROUP, opts.consumer, "COUNT", count, "STREAMS", stream, ">");
    entries = ((read as [string, Entry[]][] | null)?.[0]?.[1] ?? []).filter((e) => e[1] !== null);
  }
  if (entries.length === 0) return { read: 0, inserted: 0, acked: 0, dead: 0 };

  const byTenant = new Map<string, { ids: string[]; records: UsageRecord[] }>();
  const ack: string[] = [];
  const dead: DeadUsageEntry[] = [];
  for (const [id, fields] of entries) {
    const parsed = parseUsageEntry(id, fields ?? []);
    if ("dead" in parsed) {
      dead.push(parsed.dead);
      continue;
    }
    const tenantId = parsed.record.tenantId.toLowerCase();
    const group = byTenant.get(tenantId) ?? { ids: [], records: [] };
    group.ids.push(id);
    group.records.push(parsed.record);
    byTenant.set(tenantId, group);
  }
  let inserted = 0;
  const store = (tenantId: string, records: UsageRecord[]) => withTenant(tenantId, (tx) => storeUsageBatch(tx, tenantId, records), opts.db);
  for (const [tenantId, group] of byTenant) {
    try {
      inserted += await store(tenantId, group.records);
      ack.push(...group.ids);
      continue;
    } catch (err) {
      if (isForeignKeyViolation(err)) {
        ack.push(...group.ids); // the tenant is gone: nothing to count them under, and nothing of it is kept
        continue;
      }
      // Fresh entries were delivered once; only claimed ones can have been delivered often.
      const deliveries = wasClaimed ? await deliveryCounts(redis, stream, group.ids) : new Map<string, number>();
      const exhausted = group.ids.some((id) => (deliveries.get(id) ?? 1) >= maxDeliveries);
      if (!isRecordError(sqlStateOf(err)) && !(exhausted && (await databaseAnswers(opts.db, tenantId)))) {
        opts.logger.warn(
          // Postgres's own message may quote a value of a record: only a driver's (connection, timeout) is logged.
          { tenant_id: tenantId, records: group.records.length, failure: failureOf(err), err: sqlStateOf(err) ? undefined : { message: (err as Error).message } },
          "usage not stored; the entries stay pending and are retried",
        );
        continue;
      }
      // One by one: the records that can be stored are, the ones that cannot go to the dead letter.
      for (const [i, record] of group.records.entries()) {
        const id = group.ids[i]!;
        try {
          inserted += await store(tenantId, [record]);
          ack.push(id);
        } catch (alone) {
          if (isForeignKeyViolation(alone)) ack.push(id);
          else if (isRecordError(sqlStateOf(alone))) dead.push(deadRecord(id, record, `database refused the record (${failureOf(alone)})`));
          else if ((deliveries.get(id) ?? 1) >= maxDeliveries) {
            dead.push(deadRecord(id, record, `not stored after ${deliveries.get(id)} deliveries (${failureOf(alone)})`));
          }
        }
      }
    }
  }
  if (dead.length) {
    await writeDeadUsageEntries(redis, opts.deadStream ?? deadStreamOf(stream), dead);
    ack.push(...dead.map((d) => d.entryId));
    opts.logger.warn({ stream, entries: dead.map((d) => d.entryId), reasons: [...new Set(dead.map((d) => d.reason))] }, "usage entries moved to the dead letter");
  }
  if (ack.length) await redis.xack(stream, USAGE_GROUP, ...ack);
  return { read: entries.length, inserted, acked: ack.length, dead: dead.length };
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
