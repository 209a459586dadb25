import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { createStreamBatcher, fromStreamFields, securityRecord, toStreamFields, usageRecord } from "./usage-record";

type Call = { stream: string; args: (string | number)[] };

/** A stand-in for ioredis's pipeline: records XADDs; `fail` makes exec reject. */
function fakeRedis() {
  const state = { batches: [] as Call[][], fail: false as boolean | "partial" };
  const redis = {
    pipeline() {
      const calls: Call[] = [];
      const p = {
        xadd(stream: string, ...args: (string | number)[]) {
          calls.push({ stream, args });
          return p;
        },
        async exec() {
          if (state.fail === true) throw new Error("connection refused");
          state.batches.push(calls);
          return calls.map((_, i) => (state.fail === "partial" && i === 0 ? [new Error("OOM"), null] : [null, `${i}-0`]));
        },
      };
      return p;
    },
  };
  return { redis: redis as unknown as Redis, state };
}

const rec = (n: number) => ({ tenantId: "t", keyId: "k", requestId: `r${n}`, route: "openai.chat_completions", status: 200, latencyMs: 1.5, at: n });

describe("stream batcher", () => {
  it("writes one pipeline per batch once batchSize records wait, with MAXLEN ~", async () => {
    const { redis, state } = fakeRedis();
    const b = createStreamBatcher(redis, { stream: "mg:usage", batchSize: 3, flushIntervalMs: 10_000, maxLen: 1000 });
    for (let i = 0; i < 3; i++) b.push(rec(i));
    await b.flush();
    expect(state.batches).toHaveLength(1);
    expect(state.batches[0]![0]!.args.slice(0, 4)).toEqual(["MAXLEN", "~", 1000, "*"]);
    expect(b.stats()).toMatchObject({ buffered: 0, written: 3 });
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
    const ids = state.batches.flat().map((c) => c.args[c.args.indexOf("requestId") + 1]);
    expect(ids).toEqual(["r3", "r4", "r5", "r6", "r7"]);
  });

  it("retries only the records whose XADD failed", async () => {
    const { redis, state } = fakeRedis();
    state.fail = "partial";
    const b = createStreamBatcher(redis, { stream: "s", flushIntervalMs: 10_000 });
    b.push(rec(1));
    b.push(rec(2));
    await b.flush();
    expect(b.stats()).toMatchObject({ buffered: 1, written: 1 });
    state.fail = false;
    await b.close();
    expect(b.stats().buffered).toBe(0);
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
