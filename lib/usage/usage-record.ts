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
  for (const [name, value] of Object.entries(record)) {
    if (value !== undefined && value !== null) fields.push(name, String(value));
  }
  return fields;
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
 * every `flushIntervalMs` or once `batchSize` are waiting, one pipeline of
 * XADDs per batch. Records that fail stay buffered (bounded) and are retried.
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
  let written = 0;
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
    const pipeline = redis.pipeline();
    for (const record of batch) pipeline.xadd(opts.stream, "MAXLEN", "~", maxLen, "*", ...toStreamFields(record));
    let failed: T[] = batch;
    let error: Error | null = null;
    try {
      const results = (await pipeline.exec()) ?? [];
      failed = batch.filter((_, i) => results[i]?.[0] != null);
      error = (results.find((r) => r[0] != null)?.[0] as Error | undefined) ?? null;
    } catch (err) {
      error = err as Error;
    }
    written += batch.length - failed.length;
    if (failed.length === 0) {
      failures = 0;
      return;
    }
    failures++;
    buffer = failed.concat(buffer);
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
    stats: () => ({ buffered: buffer.length + sending, dropped, written }),
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
