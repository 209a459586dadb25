import type { Redis } from "ioredis";
import { z } from "zod";
import { isUuid } from "../redis/keys";
import { USAGE_STREAM, usageRecord, type UsageRecord } from "./usage-record";

/**
 * The usage dead letter: stream entries of `mg:usage` that the usage worker
 * can never store — a record that fails validation, or one Postgres refuses
 * (a data or constraint error, or any error on every one of its deliveries
 * while the database answers) — are appended here, with why, and
 * acknowledged, so they neither block the stream nor are retried forever.
 *
 * What is kept is enough to find the cause (the entry's id and time, the
 * reason, its tenant and key ids and its field names), never a value a
 * client chose: a malformed entry could hold anything, a key included.
 * Bounded (`MAXLEN ~ 10,000`): the oldest go first.
 */
export const USAGE_DEAD_STREAM = `${USAGE_STREAM}:dead`;
/** The consumer group of the usage workers (workers/processors/usage-events.ts). */
export const USAGE_CONSUMER_GROUP = "usage-events";
export const USAGE_DEAD_MAXLEN = 10_000;

/** The dead letter of a usage stream (`mg:usage` → `mg:usage:dead`; tests use streams of their own). */
export const deadStreamOf = (stream: string) => (stream === USAGE_STREAM ? USAGE_DEAD_STREAM : `${stream}:dead`);

export type DeadUsageEntry = {
  /** The entry's id in the usage stream (its time: when the gateway appended it). */
  entryId: string;
  reason: string;
  tenantId: string | null;
  keyId: string | null;
  fieldNames: string[];
};

const FIELD_NAME = /^[A-Za-z0-9_.-]{1,40}$/;

function describeFields(obj: Record<string, string>): Pick<DeadUsageEntry, "tenantId" | "keyId" | "fieldNames"> {
  const names = Object.keys(obj);
  return {
    tenantId: obj.tenantId && isUuid(obj.tenantId) ? obj.tenantId.toLowerCase() : null,
    keyId: obj.keyId && isUuid(obj.keyId) ? obj.keyId.toLowerCase() : null,
    // A name that is not a plain identifier is counted, not shown.
    fieldNames: [...names.filter((n) => FIELD_NAME.test(n)).slice(0, 30), ...(names.some((n) => !FIELD_NAME.test(n)) ? ["(other)"] : [])],
  };
}

/**
 * A stream entry as a usage record, or why it is not one: the failing
 * fields and zod's issue codes, never their values.
 */
export function parseUsageEntry(entryId: string, fields: readonly string[]): { record: UsageRecord } | { dead: DeadUsageEntry } {
  const obj: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) obj[fields[i]!] = fields[i + 1]!;
  const parsed = usageRecord.safeParse(obj);
  if (parsed.success) return { record: parsed.data };
  const issues = [...new Set(parsed.error.issues.map((i) => `${i.path.map(String).filter((p) => FIELD_NAME.test(p)).join(".") || "record"} (${i.code})`))];
  return { dead: { entryId, reason: `invalid record: ${issues.slice(0, 8).join(", ")}`, ...describeFields(obj) } };
}

/** The dead-letter entry of a valid record Postgres would not store. */
export function deadRecord(entryId: string, record: UsageRecord, reason: string): DeadUsageEntry {
  return { entryId, reason, tenantId: record.tenantId.toLowerCase(), keyId: record.keyId.toLowerCase(), fieldNames: Object.keys(record) };
}

/** Appends entries to the dead letter in one round trip (before their XACK: at least once). */
export async function writeDeadUsageEntries(redis: Redis, deadStream: string, entries: readonly DeadUsageEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const pipeline = redis.multi();
  for (const e of entries) {
    pipeline.xadd(deadStream, "MAXLEN", "~", USAGE_DEAD_MAXLEN, "*", "entry", e.entryId, "reason", e.reason.slice(0, 500), "tenantId", e.tenantId ?? "", "keyId", e.keyId ?? "", "fields", e.fieldNames.join(","));
  }
  const results = await pipeline.exec();
  const failed = results?.find(([err]) => err);
  if (!results || failed) throw failed?.[0] ?? new Error("dead-letter write was not executed");
}

export const usageDeadLetterOutput = z.object({
  /** When the gateway appended the entry (from its stream id). */
  appendedAt: z.string().nullable(),
  deadAt: z.string(),
  entryId: z.string(),
  reason: z.string(),
  tenantId: z.string().nullable(),
  keyId: z.string().nullable(),
  fields: z.array(z.string()),
});
export type UsageDeadLetter = z.infer<typeof usageDeadLetterOutput>;

export const usageStreamHealthOutput = z.object({
  /** Entries read by a usage worker and not yet acknowledged (stored, or dead-lettered). */
  pending: z.number().int(),
  /** Entries not yet read by any usage worker (null: unknown, e.g. no worker has created the group yet). */
  lag: z.number().int().nullable(),
  /** Dead usage entries kept (at most about 10,000), and dead-lettered since the stream was created. */
  deadLetters: z.number().int(),
  deadLettersTotal: z.number().int(),
  /** The newest dead entries, newest first. */
  recentDeadLetters: z.array(usageDeadLetterOutput),
});
export type UsageStreamHealth = z.infer<typeof usageStreamHealthOutput>;

const timeOfId = (id: string) => {
  const ms = Number(id.split("-")[0]);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : null;
};

function deadLetterOf([id, fields]: [string, string[]]): UsageDeadLetter {
  const obj: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) obj[fields[i]!] = fields[i + 1]!;
  return usageDeadLetterOutput.parse({
    appendedAt: timeOfId(obj.entry ?? ""),
    deadAt: timeOfId(id) ?? new Date(0).toISOString(),
    entryId: obj.entry ?? "",
    reason: obj.reason ?? "",
    tenantId: obj.tenantId || null,
    keyId: obj.keyId || null,
    fields: obj.fields ? obj.fields.split(",") : [],
  });
}

/** XINFO answers as a flat [name, value, ...] list. */
function infoField(info: unknown, name: string): unknown {
  if (!Array.isArray(info)) return undefined;
  const i = info.indexOf(name);
  return i >= 0 ? info[i + 1] : undefined;
}

/** The operator's view of the usage stream: how far the workers are behind, and its dead letters. */
export async function readUsageStreamHealth(
  redis: Redis,
  opts: { stream?: string; group?: string; recent?: number } = {},
): Promise<UsageStreamHealth> {
  const stream = opts.stream ?? USAGE_STREAM;
  const group = opts.group ?? USAGE_CONSUMER_GROUP;
  const dead = deadStreamOf(stream);
  let pending = 0;
  let lag: number | null = null;
  const groups = (await redis.xinfo("GROUPS", stream).catch(() => [])) as unknown[];
  const ours = groups.find((g) => infoField(g, "name") === group);
  if (ours) {
    pending = Number(infoField(ours, "pending") ?? 0);
    const l = infoField(ours, "lag");
    lag = l === null || l === undefined ? null : Number(l);
  }
  const deadLetters = await redis.xlen(dead);
  const info = deadLetters ? await redis.xinfo("STREAM", dead).catch(() => null) : null;
  const added = Number(infoField(info, "entries-added") ?? deadLetters);
  const recent = (await redis.xrevrange(dead, "+", "-", "COUNT", opts.recent ?? 10)) as [string, string[]][];
  return usageStreamHealthOutput.parse({
    pending,
    lag,
    deadLetters,
    deadLettersTotal: Math.max(added, deadLetters),
    recentDeadLetters: recent.map(deadLetterOf),
  });
}
