import os from "node:os";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Db } from "../../lib/db/client";
import { withTenant } from "../../lib/db/tenant-scope";
import { fromStreamFields, SECURITY_STREAM, securityRecord, type SecurityRecord } from "../../lib/usage/usage-record";

/** The consumer group that stores gateway denials (`mg:security`) in `security_events`. */
export const SECURITY_GROUP = "security-events";
/** Entries another consumer read but did not acknowledge for this long are taken over. */
const CLAIM_IDLE_MS = 60_000;

type Entry = [id: string, fields: string[]];

export async function ensureSecurityGroup(redis: Redis, stream: string = SECURITY_STREAM): Promise<void> {
  try {
    // From the stream's start: denials recorded before the first worker ran are stored too.
    await redis.xgroup("CREATE", stream, SECURITY_GROUP, "0", "MKSTREAM");
  } catch (err) {
    if (!(err as Error).message.includes("BUSYGROUP")) throw err;
  }
}

function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string }; message?: string };
  return e?.code === "P2003" || e?.cause?.code === "23503" || /foreign key/i.test(e?.message ?? "");
}

async function store(db: Db, tenantId: string, records: SecurityRecord[]): Promise<void> {
  await withTenant(
    tenantId,
    (tx) =>
      tx.securityEvent.createMany({
        data: records.map((r) => ({
          tenantId,
          requestId: r.requestId,
          keyId: r.keyId ?? null,
          code: r.code,
          status: r.status,
          method: r.method,
          path: r.path,
          clientIp: r.clientIp ?? null,
          model: r.model ?? null,
          createdAt: new Date(r.at),
        })),
        // ON CONFLICT DO NOTHING on (tenant_id, request_id): a redelivered entry is stored once.
        skipDuplicates: true,
      }),
    db,
  );
}

export type IngestOptions = {
  db: Db;
  logger: Logger;
  consumer: string;
  count?: number;
  /** How long XREADGROUP waits for new entries (0: do not wait). */
  blockMs?: number;
  stream?: string;
};

/**
 * One batch: entries abandoned by a dead consumer first, then new ones;
 * written per tenant through that tenant's RLS scope, then acknowledged.
 * A tenant whose write fails keeps its entries pending (retried once they
 * are claimed again), except when the tenant no longer exists.
 */
export async function ingestSecurityEvents(redis: Redis, opts: IngestOptions): Promise<number> {
  const stream = opts.stream ?? SECURITY_STREAM;
  const count = opts.count ?? 500;
  const claimed = (await redis.xautoclaim(stream, SECURITY_GROUP, opts.consumer, CLAIM_IDLE_MS, "0-0", "COUNT", count)) as [string, Entry[]];
  let entries: Entry[] = claimed[1] ?? [];
  if (entries.length === 0) {
    const read = opts.blockMs
      ? await redis.xreadgroup("GROUP", SECURITY_GROUP, opts.consumer, "COUNT", count, "BLOCK", opts.blockMs, "STREAMS", stream, ">")
      : await redis.xreadgroup("GROUP", SECURITY_GROUP, opts.consumer, "COUNT", count, "STREAMS", stream, ">");
    entries = ((read as [string, Entry[]][] | null)?.[0]?.[1] ?? []).filter((e) => e[1] !== null);
  }
  if (entries.length === 0) return 0;

  const byTenant = new Map<string, { ids: string[]; records: SecurityRecord[] }>();
  const ack: string[] = [];
  for (const [id, fields] of entries) {
    const record = fromStreamFields(securityRecord, fields ?? []);
    if (!record) {
      opts.logger.warn({ stream, entry: id }, "dropped a malformed security record");
      ack.push(id);
      continue;
    }
    const group = byTenant.get(record.tenantId) ?? { ids: [], records: [] };
    group.ids.push(id);
    group.records.push(record);
    byTenant.set(record.tenantId, group);
  }
  let stored = 0;
  for (const [tenantId, group] of byTenant) {
    try {
      await store(opts.db, tenantId, group.records);
      ack.push(...group.ids);
      stored += group.records.length;
    } catch (err) {
      if (isForeignKeyViolation(err)) {
        ack.push(...group.ids); // the tenant is gone: nothing to file them under
        continue;
      }
      opts.logger.warn({ tenant_id: tenantId, records: group.records.length, err: { message: (err as Error).message } }, "security events not stored; will retry");
    }
  }
  if (ack.length) await redis.xack(stream, SECURITY_GROUP, ...ack);
  return stored;
}

export type SecurityEventConsumer = { close(): Promise<void> };

/**
 * Drains `mg:security` for as long as the worker runs, on a connection of its
 * own (XREADGROUP blocks it). Several workers share the group: each entry is
 * stored by one of them, and by another if that one dies before acknowledging.
 */
export function startSecurityEventConsumer(
  connection: Redis,
  opts: Omit<IngestOptions, "consumer" | "blockMs"> & { consumer?: string },
): SecurityEventConsumer {
  const redis = connection.duplicate({ connectionName: "mg-workers-security" });
  redis.on("error", () => {}); // the connection's owner logs; the loop below retries
  const consumer = opts.consumer ?? `${os.hostname()}-${process.pid}`;
  let stopped = false;
  const loop = (async () => {
    let groupReady = false;
    while (!stopped) {
      try {
        if (!groupReady) {
          await ensureSecurityGroup(redis, opts.stream);
          groupReady = true;
        }
        await ingestSecurityEvents(redis, { ...opts, consumer, blockMs: 1_000 });
      } catch (err) {
        if (stopped) break;
        if ((err as Error).message.includes("NOGROUP")) groupReady = false;
        opts.logger.warn({ err: { message: (err as Error).message } }, "security event consumer: retrying in 1 s");
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  })();
  return {
    async close() {
      stopped = true;
      redis.disconnect();
      await loop;
    },
  };
}
