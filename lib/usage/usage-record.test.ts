import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { createStreamBatcher, fromStreamFields, securityRecord, toStreamFields, usageRecord } from "./usage-record";

type Call = { stream: string; maxLen: string | number; fields: (string | number)[] };

/**
 * A stand-in for Redis running the batch script: decodes its arguments into
 * the XADDs it would run; `fail` makes the call reject, "partial" makes the
 * second XADD of a batch fail (the script stops there).
 */
function fakeRedis() {
  const state = { batches: [] as Call[][], fail: false as boolean | "partial" };
  const redis = {
    async evalsha(_sha: string, _keys: number, stream: string, maxLen: string | number, ...args: (string | number)[]) {
      if (state.fail === true) throw new Error("connection refused");
      const calls: Call[] = [];
      for (let i = 0; i < args.length; ) {
        if (state.fail === "partial" && calls.length === 1) {
          state.batches.push(calls);
          return [1, "OOM command not allowed"];
        }
        // A record is its items joined by NUL, or "" then the item count and the items.
        const raw = args[i] === "";
        const fields = raw ? args.slice(i + 2, i + 2 + Number(args[i + 1])) : String(args[i]).split("\0");
        i += raw ? 2 + fields.length : 1;
        calls.push({ stream, maxLen, fields });
      }
      state.batches.push(calls);
      return [calls.length, null];
    },
  };
  return { redis: redis as unknown as Redis, state };
}

const rec = (n: number) => ({ tenantId: "t", keyId: "k", requestId: `r${n}`, route: "openai.chat_completions", status: 200, latencyMs: 1.5, at: n });

describe("stream batcher", () => {
  it("writes one script call per batch once batchSize records wait, one entry per record, with MAXLEN ~", async () => {
    const { redis, state } = fakeRedis();
    const b = createStreamBatcher(redis, { stream: "mg:usage", batchSize: 3, flushIntervalMs: 10_000, maxLen: 1000 });
    for (let i = 0; i < 3; i++) b.push(rec(i));
    await b.flush();
    expect(state.batches).toHaveLength(1);
    expect(state.batches[0]).toHaveLength(3);
    expect(state.batches[0]![0]).toEqual({ stream: "mg:usage", maxLen: 1000, fields: toStreamFields(rec(0)) });
    await b.close();
  });

  it("sends a record whose value holds a NUL item by item, so every byte arrives", async () => {
    const { redis, state } = fakeRedis();
    const b = createStreamBatcher(redis, { stream: "s", flushIntervalMs: 10_000 });
    b.push({ ...rec(1), model: "a\u0000b" });
    b.push(rec(2));
    await b.flush();
    expect(state.batches[0]!.map((c) => c.fields)).toEqual([toStreamFields({ ...rec(1), model: "a\u0000b" }), toStreamFields(rec(2))]);
    expect(b.stats()).toMatchObject({ buffered: 0, written: 2 });
    await b.close();
  });

  it("flushes on its interval", async () => {
    const { redis, state } = fakeRedis();
    const b = createStreamBatcher(redis, { stream: "s", flushIntervalMs: 20 });
    b.push(rec(1));
    expect(state.batches).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(state.batches).toHaveLength(1);
    await b.close();
  });

  it("keeps records while Redis fails (bounded, oldest dropped) and writes them once it is back", async () => {
    const { redis, state } = fakeRedis();
    state.fail = true;
    const errors: number[] = [];
    const b = createStreamBatcher(redis, { stream: "s", flushIntervalMs: 5, maxBuffered: 5, onError: (_e, n) => errors.push(n) });
    for (let i = 0; i < 8; i++) b.push(rec(i));
    await b.flush();
    expect(errors.length).toBeGreaterThan(0);
    expect(b.stats()).toMatchObject({ buffered: 5, dropped: 3, written: 0 });
    state.fail = false;
    await b.close();
    expect(b.stats()).toMatchObject({ buffered: 0, written: 5 });
    const ids = state.batches.flat().map((c) => c.fields[c.fields.indexOf("requestId") + 1]);
    expect(ids).toEqual(["r3", "r4", "r5", "r6", "r7"]);
  });

  it("retries only the records not written when an XADD fails mid-batch", async () => {
    const { redis, state } = fakeRedis();
    state.fail = "partial";
    const b = createStreamBatcher(redis, { stream: "s", flushIntervalMs: 10_000 });
    b.push(rec(1));
    b.push(rec(2));
    b.push(rec(3));
    await b.flush();
    expect(b.stats()).toMatchObject({ buffered: 2, written: 1 });
    state.fail = false;
    await b.close();
    expect(b.stats()).toMatchObject({ buffered: 0, written: 3 });
    const ids = state.batches.flat().map((c) => c.fields[c.fields.indexOf("requestId") + 1]);
    expect(ids).toEqual(["r1", "r2", "r3"]);
  });
});

describe("stream fields", () => {
  it("round-trip a usage record, leaving out absent values", () => {
    const fields = toStreamFields({ ...rec(1), tenantId: "3f2c1a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60", keyId: "0b0b0b0b-0000-4000-8000-000000000000", promptTokens: 3, model: undefined });
    expect(fields).not.toContain("model");
    expect(fromStreamFields(usageRecord, fields)).toMatchObject({ requestId: "r1", status: 200, latencyMs: 1.5, promptTokens: 3 });
  });

  it("refuses a record without a valid tenant", () => {
    expect(fromStreamFields(securityRecord, ["tenantId", "nope", "requestId", "r", "code", "x", "status", "403", "method", "GET", "path", "/", "at", "1"])).toBeNull();
  });
});
