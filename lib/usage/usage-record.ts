import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";
import { globalKey } from "../redis/keys";

/**
 * What the gateway streams to Redis, off the request path: one usage record
 * per request (`mg:usage`, consumed by the usage issue's aggregation) and one
 * security record per denial of a request whose tenant is known (`mg:security`,
 * stored in `security_events` by a worker). Entries carry their tenant as a
 * field; streams are global keys so one consumer group drains every tenant.
 */
export const USAGE_STREAM = globalKey("usage");
export const SECURITY_STREAM = globalKey("security");

const optionalInt = z.preprocess((v) => (v === "" || v === undefined ? undefined : v), z.coerce.number().int().nonnegative().optional());
const optionalText = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());

export const usageRecord = z.object({
  tenantId: z.uuid(),
  keyId: z.uuid(),
  requestId: z.string().min(1),
  route: z.string().min(1),
  model: optionalText,
  status: z.coerce.number().int(),
  latencyMs: z.coerce.number().nonnegative(),
  promptTokens: optionalInt,
  completionTokens: optionalInt,
  totalTokens: optionalInt,
  /** Epoch milliseconds when the response finished. */
  at: z.coerce.number().int(),
});
export type UsageRecord = z.output<typeof usageRecord>;

export const securityRecord = z.object({
  tenantId: z.uuid(),
  requestId: z.string().min(1),
  keyId: optionalText.pipe(z.uuid().optional()),
  code: z.string().min(1),
  status: z.coerce.number().int(),
  method: z.string().min(1),
  path: z.string(),
  clientIp: optionalText,
  model: optionalText,
  at: z.coerce.number().int(),
});
export type SecurityRecord = z.output<typeof securityRecord>;

/** A record as flat XADD field/value pairs; absent values are left out. */
export function toStreamFields(record: Record<string, string | number | null | undefined>): string[] {
  const fields: string[] = [];
  for (const name in record) {
    const value = record[name];
    if (value !== undefined && value !== null) fields.push(name, String(value));
  }
  return fields;
}

/**
 * Appends `record` (its toStreamFields items) to the batch script's
 * arguments. Usually as one argument, the items joined by NUL: a few hundred
 * bytes cost the gateway far less to send as one argument than as twenty (the
 * client encodes each argument on its own). A record with a NUL in a value
 * (a client-chosen model name can hold one) goes as an empty marker, its item
 * count, then the items.
 */
function appendRecord(args: (string | number)[], record: Record<string, string | number | null | undefined>): void {
  let joined = "";
  for (const name in record) {
    const value = record[name];
    if (value === undefined || value === null) continue;
    if (typeof value === "string" && value.includes("\0")) {
      const fields = toStreamFields(record);
      args.push("", fields.length, ...fields);
      return;
    }
    joined += joined === "" ? `${name}\0${value}` : `\0${name}\0${value}`;
  }
  if (joined === "") args.push("", 0);
  else args.push(joined);
}

/**
 * One script call appends a whole batch to a stream, entry by entry, exactly
 * as one XADD per record would (the same fields and values, byte for byte):
 * ARGV = maxLen, then per record either its items joined by NUL, or "", the
 * item count and the items (appendRecord). Stops at the first XADD that
 * fails and answers {written, error}, so only the records not written are
 * retried.
 */
const APPEND_LUA = `
local written = 0
local i = 2
while i <= #ARGV do
  local items
  if ARGV[i] == '' then
    local n = tonumber(ARGV[i + 1])
    items = {unpack(ARGV, i + 2, i + 1 + n)}
    i = i + 2 + n
  else
    local s = ARGV[i]
    items = {}
    local from = 1
    while true do
      local nul = string.find(s, '\\0', from, true)
      if not nul then
        items[#items + 1] = string.sub(s, from)
        break
      end
      items[#items + 1] = string.sub(s, from, nul - 1)
      from = nul + 1
    end
    i = i + 1
  end
  local reply = redis.pcall('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(items))
  if type(reply) == 'table' and reply.err then return {written, reply.err} end
  written = written + 1
end
return {written, false}
`;
const APPEND_SHA = createHash("sha1").update(APPEND_LUA).digest("hex");

/** EVALSHA of APPEND_LUA, falling back to EVAL once when the server has not cached it. */
async function appendToStream(redis: Redis, stream: string, args: (string | number)[]): Promise<unknown> {
  try {
    return await redis.evalsha(APPEND_SHA, 1, stream, ...args);
  } catch (err) {
    if (!(err as Error).message?.startsWith("NOSCRIPT")) throw err;
    return redis.eval(APPEND_LUA, 1, stream, ...args);
  }
}

/** Reads back a stream entry's field/value list through `schema`; null if it does not match. */
export function fromStreamFields<S extends z.ZodType>(schema: S, fields: string[]): z.output<S> | null {
  const obj: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) obj[fields[i]!] = fields[i + 1]!;
  const parsed = schema.safeParse(obj);
  return parsed.success ? parsed.data : null;
}

export type StreamBatcherOptions = {
  stream: string;
  /** Approximate stream length cap (`XADD MAXLEN ~`). */
  maxLen?: number;
  flushIntervalMs?: number;
  batchSize?: number;
  /** Records kept while Redis is unreachable; the oldest are dropped beyond it. */
  maxBuffered?: number;
  onError?: (err: Error, buffered: number) => void;
};

export type StreamBatcher<T> = {
  /** Never blocks and never throws: the record is buffered for the next flush. */
  push(record: T): void;
  flush(): Promise<void>;
  /** Stops the timer and makes one last attempt to flush what is buffered. */
  close(): Promise<void>;
  /** buffered: waiting or being sent; written: acknowledged by Redis. */
  stats(): { buffered: number; dropped: number; written: number };
};

/**
 * Buffers records in memory and appends them to a Redis stream in batches:
 * every `flushIntervalMs` or once `batchSize` are waiting, one script call
 * (one round trip, one command) per batch that XADDs each record. Records
 * that fail stay buffered (bounded) and are retried.
 */
export function createStreamBatcher<T extends Record<string, string | number | null | undefined>>(
  redis: Redis,
  opts: StreamBatcherOptions,
): StreamBatcher<T> {
  const maxLen = opts.maxLen ?? 1_000_000;
  const interval = opts.flushIntervalMs ?? 100;
  const batchSize = opts.batchSize ?? 200;
  const maxBuffered = opts.maxBuffered ?? 50_000;
  let buffer: T[] = [];
  let inFlight: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let failures = 0;
  let dropped = 0;
  let total = 0;
  let sending = 0;
  let closed = false;

  const schedule = (delay: number) => {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = null;
      void flush();
    }, delay);
    timer.unref();
  };

  async function writeBatch(batch: T[]): Promise<void> {
    let written = 0;
    let error: Error | null = null;
    try {
      const args: (string | number)[] = [maxLen];
      for (const record of batch) appendRecord(args, record);
      const [count, message] = (await appendToStream(redis, opts.stream, args)) as [number, string | null];
      written = Number(count);
      if (message) error = new Error(message);
    } catch (err) {
      error = err as Error;
    }
    written = Math.min(batch.length, Math.max(0, written));
    total += written;
    if (written === batch.length) {
      failures = 0;
      return;
    }
    failures++;
    buffer = batch.slice(written).concat(buffer);
    if (buffer.length > maxBuffered) {
      dropped += buffer.length - maxBuffered;
      buffer = buffer.slice(buffer.length - maxBuffered);
    }
    opts.onError?.(error ?? new Error("XADD failed"), buffer.length);
  }

  function flush(): Promise<void> {
    if (inFlight) return inFlight;
    if (buffer.length === 0) return Promise.resolve();
    const batch = buffer.slice(0, batchSize);
    buffer = buffer.slice(batch.length);
    sending = batch.length;
    inFlight = writeBatch(batch).finally(() => {
      inFlight = null;
      sending = 0;
      if (buffer.length === 0) return;
      // Backs off while Redis fails (up to 2 s), else drains the rest at once.
      schedule(failures ? Math.min(interval * 2 ** failures, 2_000) : buffer.length >= batchSize ? 0 : interval);
    });
    return inFlight;
  }

  return {
    push(record) {
      buffer.push(record);
      if (buffer.length > maxBuffered) {
        buffer.shift();
        dropped++;
      }
      if (inFlight) return;
      if (buffer.length >= batchSize && failures === 0) void flush();
      else schedule(interval);
    },
    flush,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (inFlight) await inFlight;
      while (buffer.length) {
        const before = buffer.length;
        await flush();
        if (buffer.length >= before) break;
      }
    },
    stats: () => ({ buffered: buffer.length + sending, dropped, written: total }),
  };
}

/** What the gateway pushes per request (`usageRecord` is what a consumer reads back). */
export type UsageRecordInput = {
  tenantId: string;
  keyId: string;
  requestId: string;
  route: string;
  model?: string;
  status: number;
  latencyMs: number;
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
  at: number;
};

/** What the gateway pushes per denial (`securityRecord` is what the worker reads back). */
export type SecurityRecordInput = {
  tenantId: string;
  requestId: string;
  keyId?: string;
  code: string;
  status: number;
  method: string;
  path: string;
  clientIp?: string;
  model?: string;
  at: number;
};

export type UsageRecorder = StreamBatcher<UsageRecordInput>;

export function createUsageRecorder(redis: Redis, opts: Partial<StreamBatcherOptions> = {}): UsageRecorder {
  return createStreamBatcher<UsageRecordInput>(redis, { stream: USAGE_STREAM, ...opts });
}

export type SecurityRecorder = StreamBatcher<SecurityRecordInput>;

export function createSecurityRecorder(redis: Redis, opts: Partial<StreamBatcherOptions> = {}): SecurityRecorder {
  return createStreamBatcher<SecurityRecordInput>(redis, { stream: SECURITY_STREAM, maxLen: 100_000, ...opts });
}
