import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../log/logger";
import { createRedis } from "../redis/connection";
import { createStreamBatcher, toStreamFields } from "./usage-record";

const logger = createLogger("usage-record-test", { level: "silent" });

describe("stream batcher against Redis", () => {
  const redis = createRedis({ connectionName: "mg-usage-record-test", logger });
  const streams: string[] = [];
  const stream = () => {
    const name = `mg:test:usage:${randomUUID()}`;
    streams.push(name);
    return name;
  };

  afterAll(async () => {
    if (streams.length) await redis.del(...streams);
    await redis.quit();
  });

  it("one batch becomes one entry per record, fields in order, exactly as XADD would store them", async () => {
    const name = stream();
    const records = Array.from({ length: 250 }, (_, i) => ({
      tenantId: "t",
      requestId: `r${i}`,
      model: i === 1 ? "naïve \u0000 \"model\" ☃" : i === 2 ? "" : i === 3 ? "trailing\u0000" : undefined,
      status: 200,
      latencyMs: 1.25,
      at: i,
    }));
    const b = createStreamBatcher(redis, { stream: name, batchSize: 100, flushIntervalMs: 10_000, maxLen: 10_000 });
    for (const r of records) b.push(r);
    await b.close();
    expect(b.stats()).toMatchObject({ buffered: 0, dropped: 0, written: 250 });
    const entries = await redis.xrange(name, "-", "+");
    expect(entries.map(([, fields]) => fields)).toEqual(records.map((r) => toStreamFields(r)));
  });

  it("a batch Redis refuses stays buffered and is written once Redis accepts it", async () => {
    const name = stream();
    await redis.set(name, "not a stream");
    const errors: string[] = [];
    const b = createStreamBatcher(redis, { stream: name, flushIntervalMs: 10_000, onError: (err) => errors.push(err.message) });
    b.push({ requestId: "a" });
    b.push({ requestId: "b" });
    await b.flush();
    expect(errors[0]).toMatch(/WRONGTYPE/);
    expect(b.stats()).toMatchObject({ buffered: 2, written: 0 });
    await redis.del(name);
    await b.close();
    expect(b.stats()).toMatchObject({ buffered: 0, written: 2 });
    expect((await redis.xrange(name, "-", "+")).map(([, f]) => f)).toEqual([["requestId", "a"], ["requestId", "b"]]);
  });
});
