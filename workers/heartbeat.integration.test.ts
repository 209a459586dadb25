import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HEARTBEAT_TTL_SECONDS, readWorkerHealth, WORKER_HEARTBEAT_KEY } from "../lib/queue/worker-health";
import { createRedis } from "../lib/redis/connection";
import { processWorkerHeartbeat } from "./processors/worker-heartbeat";

describe("worker.heartbeat processor (real Redis, db 1)", () => {
  let redis: Redis;

  beforeAll(() => {
    redis = createRedis({ connectionName: "mg-heartbeat-test" });
  });

  afterAll(async () => {
    await redis.del(WORKER_HEARTBEAT_KEY);
    await redis.quit();
  });

  it("writes the heartbeat with a 90 s TTL, and readWorkerHealth reports up", async () => {
    await redis.del(WORKER_HEARTBEAT_KEY);
    expect((await readWorkerHealth(redis)).up).toBe(false);

    const beat = await processWorkerHeartbeat(redis);
    expect(beat).toMatchObject({ pid: process.pid, version: "0.1.0" });
    expect(beat.hostname).not.toBe("");
    const ttl = await redis.ttl(WORKER_HEARTBEAT_KEY);
    expect(ttl).toBeGreaterThan(HEARTBEAT_TTL_SECONDS - 5);
    expect(ttl).toBeLessThanOrEqual(HEARTBEAT_TTL_SECONDS);

    const health = await readWorkerHealth(redis);
    expect(health.up).toBe(true);
    expect(health.lastSeen).toBe(beat.at);
    expect(health.ageSeconds).toBeLessThanOrEqual(1);
  });

  it("is idempotent: running again overwrites the one key", async () => {
    await processWorkerHeartbeat(redis, { pid: 1, hostname: "a", version: "x" }, new Date(Date.now() - 10_000));
    await processWorkerHeartbeat(redis, { pid: 1, hostname: "a", version: "x" }, new Date(Date.now() - 10_000));
    expect(await redis.keys("mg:workers:*")).toEqual([WORKER_HEARTBEAT_KEY]);
    const health = await readWorkerHealth(redis);
    expect(health.up).toBe(true);
    expect(health.ageSeconds).toBeGreaterThanOrEqual(9);
  });
});
