import { EventEmitter } from "node:events";
import type { Redis } from "ioredis";
import { describe, expect, it, vi } from "vitest";
import { KEY_INVALIDATION_CHANNEL } from "../lib/keys/key-invalidation";
import { createLogger } from "../lib/log/logger";
import { MODEL_INVALIDATION_CHANNEL } from "../lib/models/model-invalidation";
import { subscribeInvalidations } from "./invalidation";
import type { KeyCache } from "./key-cache";
import { LastUsedTracker } from "./last-used";
import type { ModelCache } from "./model-cache";

const TENANT = "3f2c1a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60";
const KEY = "0b0b0b0b-0000-4000-8000-000000000000";
const logger = createLogger("test", { level: "silent" });

function fakeSubscriber() {
  const emitter = new EventEmitter() as EventEmitter & { status: string; subscribe: ReturnType<typeof vi.fn>; unsubscribe: ReturnType<typeof vi.fn> };
  emitter.status = "ready";
  emitter.subscribe = vi.fn(async () => 2);
  emitter.unsubscribe = vi.fn(async () => 0);
  return emitter;
}

function fakeCaches() {
  return {
    keys: { invalidate: vi.fn(), clear: vi.fn() },
    models: { invalidate: vi.fn(), clear: vi.fn() },
  };
}

describe("subscribeInvalidations", () => {
  it("drops keys and model tables named on the channels; ignores garbage", async () => {
    const sub = fakeSubscriber();
    const caches = fakeCaches();
    const s = subscribeInvalidations(sub as unknown as Redis, caches as unknown as { keys: KeyCache; models: ModelCache }, logger);
    await s.ready;
    expect(sub.subscribe).toHaveBeenCalledWith(KEY_INVALIDATION_CHANNEL, MODEL_INVALIDATION_CHANNEL);
    sub.emit("message", KEY_INVALIDATION_CHANNEL, JSON.stringify({ tenantId: TENANT, keyId: KEY }));
    sub.emit("message", KEY_INVALIDATION_CHANNEL, JSON.stringify({ tenantId: TENANT }));
    sub.emit("message", MODEL_INVALIDATION_CHANNEL, JSON.stringify({ tenantId: TENANT }));
    sub.emit("message", KEY_INVALIDATION_CHANNEL, "{not json");
    sub.emit("message", MODEL_INVALIDATION_CHANNEL, JSON.stringify({ tenantId: "nope" }));
    expect(caches.keys.invalidate.mock.calls).toEqual([[TENANT, KEY], [TENANT, undefined]]);
    expect(caches.models.invalidate.mock.calls).toEqual([[TENANT]]);
    await s.close();
    expect(sub.unsubscribe).toHaveBeenCalled();
  });

  it("clears both caches when the subscriber reconnects (messages may have been missed)", async () => {
    const sub = fakeSubscriber();
    const caches = fakeCaches();
    const s = subscribeInvalidations(sub as unknown as Redis, caches as unknown as { keys: KeyCache; models: ModelCache }, logger);
    await s.ready;
    expect(caches.keys.clear).not.toHaveBeenCalled();
    sub.emit("ready");
    expect(caches.keys.clear).toHaveBeenCalledTimes(1);
    expect(caches.models.clear).toHaveBeenCalledTimes(1);
    await s.close();
  });

  it("close() does not wait for a Redis that is away", async () => {
    const sub = fakeSubscriber();
    sub.status = "reconnecting";
    sub.unsubscribe = vi.fn(() => new Promise(() => {}));
    const s = subscribeInvalidations(sub as unknown as Redis, fakeCaches() as unknown as { keys: KeyCache; models: ModelCache }, logger);
    await s.close();
    expect(sub.unsubscribe).not.toHaveBeenCalled();
  });
});

describe("LastUsedTracker", () => {
  it("writes each used key once per batch, grouped by tenant, and at most once per key per interval", async () => {
    let now = 0;
    const writes: [string, string[]][] = [];
    const tracker = new LastUsedTracker(async (tenant, ids) => void writes.push([tenant, ids.sort()]), logger, { flushIntervalMs: 60_000, perKeyIntervalMs: 30_000, now: () => now });
    tracker.touch("t1", "a");
    tracker.touch("t1", "a");
    tracker.touch("t1", "b");
    tracker.touch("t2", "c");
    await tracker.flush();
    expect(writes).toEqual([["t1", ["a", "b"]], ["t2", ["c"]]]);
    now = 10_000;
    tracker.touch("t1", "a");
    await tracker.flush();
    expect(writes).toHaveLength(2);
    now = 31_000;
    tracker.touch("t1", "a");
    await tracker.close();
    expect(writes.at(-1)).toEqual(["t1", ["a"]]);
  });

  it("a failed write is retried at the next use", async () => {
    let fail = true;
    const writes: string[][] = [];
    const tracker = new LastUsedTracker(async (_t, ids) => {
      if (fail) throw new Error("db down");
      writes.push(ids);
    }, logger, { flushIntervalMs: 60_000 });
    tracker.touch("t1", "a");
    await tracker.flush();
    fail = false;
    tracker.touch("t1", "a");
    await tracker.close();
    expect(writes).toEqual([["a"]]);
  });
});
