import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueueClient, type QueueClient } from "../lib/queue/enqueue";
import { JobPayloadError } from "../lib/queue/jobs";
import { readWorkerHealth, WORKER_HEARTBEAT_KEY } from "../lib/queue/worker-health";
import { createLogger } from "../lib/log/logger";
import { createRedis } from "../lib/redis/connection";
import { waitForJob } from "../test/support/bullmq-jobs";
import { upsertSchedules } from "./schedules";
import { startWorkers, type RunningWorkers } from "./start-workers";

const logger = createLogger("workers-test", { level: "silent" });

describe("maintenance queue end to end (real BullMQ worker, unique prefix)", () => {
  const prefix = `mg:test:${randomUUID()}`;
  const idlePrefix = `mg:test:${randomUUID()}`;
  let connection: Redis;
  let running: RunningWorkers;
  let idle: QueueClient;

  beforeAll(async () => {
    connection = createRedis({ forBullmq: true, connectionName: "mg-workers-test" });
    running = startWorkers({ connection, prefix, concurrency: 2, logger });
    await Promise.all(running.workers.map((w) => w.waitUntilReady()));
    idle = createQueueClient({ connection, prefix: idlePrefix }); // no worker: jobs stay put
  });

  afterAll(async () => {
    await running.close();
    for (const client of [createQueueClient({ connection, prefix }), idle]) {
      await client.queue("maintenance").obliterate({ force: true });
      await client.close();
    }
    await connection.del(WORKER_HEARTBEAT_KEY);
    await connection.quit();
  });

  it("an enqueued heartbeat job is processed and the workers read as up", async () => {
    await connection.del(WORKER_HEARTBEAT_KEY);
    const { jobId } = await running.queues.enqueue("worker.heartbeat", {});
    const job = await waitForJob(running, "maintenance", jobId, "completed");
    expect(job.returnvalue).toMatchObject({ pid: process.pid });
    expect((await readWorkerHealth(connection)).up).toBe(true);
  });

  it("the same idempotency key adds the job once", async () => {
    const a = await idle.enqueue("worker.heartbeat", {}, { idempotencyKey: "2026-01-01T00:00" });
    const b = await idle.enqueue("worker.heartbeat", {}, { idempotencyKey: "2026-01-01T00:00" });
    const c = await idle.enqueue("worker.heartbeat", {}, { idempotencyKey: "2026-01-01T00:01" });
    expect(b.jobId).toBe(a.jobId);
    expect(c.jobId).not.toBe(a.jobId);
    expect((await idle.queue("maintenance").getJobCounts("waiting")).waiting).toBe(2);
  });

  it("a bad payload is refused by zod and nothing is enqueued", async () => {
    const q = idle.queue("maintenance");
    const before = await q.getJobCounts("waiting", "delayed");
    const err = await idle.enqueue("worker.heartbeat", { tenantId: "x", extra: true } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobPayloadError);
    expect(await q.getJobCounts("waiting", "delayed")).toEqual(before);
  });

  it("a job the processor does not know fails at once, without retries", async () => {
    const job = await running.queues.queue("maintenance").add("no.such.job", {});
    const failed = await waitForJob(running, "maintenance", job.id!, "failed");
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/no handler for job "no.such.job"/);
  });

  it("upserting the schedules twice leaves one heartbeat scheduler, every 30 s, which runs at once", async () => {
    await connection.del(WORKER_HEARTBEAT_KEY);
    await upsertSchedules(running.queues);
    await upsertSchedules(running.queues);
    const schedulers = (await running.queues.queue("maintenance").getJobSchedulers()).filter((s) => s.key === "worker.heartbeat");
    expect(schedulers).toHaveLength(1); // other jobs have schedulers on this queue too; each job has one
    expect(schedulers[0]).toMatchObject({ key: "worker.heartbeat", every: 30_000, name: "worker.heartbeat" });
    const deadline = Date.now() + 10_000;
    while (!(await readWorkerHealth(connection)).up) {
      if (Date.now() > deadline) throw new Error("the scheduled heartbeat did not run");
      await new Promise((r) => setTimeout(r, 100));
    }
  });
});
