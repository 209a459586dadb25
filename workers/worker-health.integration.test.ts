import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb, insertTenantWithMember, superuser } from "../test/db-helpers";
import { createLogger } from "../lib/log/logger";
import { operatorDiscardJob, operatorRetryJob } from "../lib/queue/operator-workers";
import { listDeadLetters, readWorkersOverview } from "../lib/queue/queue-health";
import { readAliveWorkers } from "../lib/queue/worker-health";
import { createRedis } from "../lib/redis/connection";
import { waitForJob } from "../test/support/bullmq-jobs";
import { upsertSchedules } from "./schedules";
import { startWorkers, type RunningWorkers } from "./start-workers";

const logger = createLogger("worker-health-test", { level: "silent" });

describe("workers in general: retries, dead letters, health line (real BullMQ, unique prefix)", () => {
  const prefix = `mg:test:${randomUUID()}`;
  const namespace = `workers-test-${randomUUID().slice(0, 8)}`;
  const db = appDb(2);
  let connection: Redis;
  let running: RunningWorkers;
  let su: pg.Client;

  beforeAll(async () => {
    su = await superuser();
    connection = createRedis({ forBullmq: true, connectionName: "mg-worker-health-test" });
    running = startWorkers({ connection, prefix, concurrency: 2, logger, db, securityEvents: false, usage: false, healthNamespace: namespace });
    await Promise.all(running.workers.map((w) => w.waitUntilReady()));
  });

  afterAll(async () => {
    await running.close();
    for (const q of running.queueNames) await running.queues.queue(q).obliterate({ force: true }).catch(() => {});
    await running.queues.close();
    await connection.quit();
    await su.end();
    await db.$disconnect();
  });

  it("a failing job is retried with exponential backoff by default, not dropped", async () => {
    const ghost = "0b0b0b0b-0000-4000-8000-000000000000"; // no such tenant: its run records cannot be written
    const { jobId } = await running.queues.enqueue("retention.tenant", { tenantId: ghost, trigger: "manual" });
    const failed = await waitForJob(running, "retention", jobId, "failed");
    expect(failed.failedReason).toMatch(/retentionRun/); // the run record cannot name a tenant that does not exist
    expect(failed.opts).toMatchObject({ attempts: 3, backoff: { type: "exponential", delay: 5_000 } });
    const job = await running.queues.queue("retention").getJob(jobId);
    expect(await job!.getState()).toBe("delayed"); // waiting for its second attempt
    expect(job!.attemptsMade).toBe(1);
    expect(await listDeadLetters(running.queues, { limit: 50 })).toEqual([]); // not a dead letter while retries remain
    await job!.remove();
  });

  it("a job that fails for good is a dead letter; operators retry or discard it, audited", async () => {
    const a = await running.queues.queue("maintenance").add("no.such.job", { tenantId: "x" });
    const b = await running.queues.queue("maintenance").add("no.such.job", {});
    await Promise.all([waitForJob(running, "maintenance", a.id!, "failed"), waitForJob(running, "maintenance", b.id!, "failed")]);

    const dead = await listDeadLetters(running.queues, { limit: 50 });
    expect(dead.map((d) => d.id).sort()).toEqual([a.id, b.id].sort());
    expect(dead.find((d) => d.id === a.id)).toMatchObject({ queue: "maintenance", name: "no.such.job", tenantId: "x", attemptsMade: 1, payload: '{"tenantId":"x"}' });
    expect(dead[0]!.failedReason).toMatch(/no handler for job "no.such.job"/);
    expect((await readWorkersOverview(running.queues, connection, namespace)).queues.find((q) => q.name === "maintenance")!.counts.failed).toBe(2);

    const ctx = { actor: { type: "operator" as const, id: randomUUID() }, requestId: "req-dlq" };
    const retried = waitForJob(running, "maintenance", a.id!, "failed", { next: true }); // it has failed once already
    await operatorRetryJob(running.queues, "maintenance", a.id!, ctx, db);
    await retried; // it ran again (and failed again: the job is still unknown)
    await operatorDiscardJob(running.queues, "maintenance", b.id!, ctx, db);
    expect(await running.queues.queue("maintenance").getJob(b.id!)).toBeUndefined();
    await expect(operatorDiscardJob(running.queues, "maintenance", b.id!, ctx, db)).rejects.toMatchObject({ code: "not_found" });
    await expect(operatorRetryJob(running.queues, "retention", a.id!, ctx, db)).rejects.toMatchObject({ code: "not_found" });

    const audit = await su.query("SELECT action, target_id FROM platform_audit_logs WHERE request_id = 'req-dlq' ORDER BY created_at");
    expect(audit.rows).toEqual([
      { action: "job.retry", target_id: `maintenance/${a.id}` },
      { action: "job.discard", target_id: `maintenance/${b.id}` },
    ]);
  });

  it("the health line: depths, each scheduler's next run and last success, this worker alive", async () => {
    const tenant = (await insertTenantWithMember(su, `health-${Date.now().toString(36)}`)).tenantId;
    await upsertSchedules(running.queues);
    const deadline = Date.now() + 15_000;
    let overview = await readWorkersOverview(running.queues, connection, namespace);
    while (!overview.queues.find((q) => q.name === "maintenance")!.schedulers[0]?.lastSuccessAt) {
      if (Date.now() > deadline) throw new Error("the heartbeat scheduler never succeeded");
      await new Promise((r) => setTimeout(r, 100));
      overview = await readWorkersOverview(running.queues, connection, namespace);
    }
    const schedulers = overview.queues.flatMap((q) => q.schedulers);
    expect(schedulers.find((s) => s.id === "worker.heartbeat")).toMatchObject({ every: 30_000, pattern: null });
    expect(schedulers.find((s) => s.id === "retention.schedule")).toMatchObject({ pattern: "17 3 * * *", every: null, lastSuccessAt: null });
    expect(Date.parse(schedulers.find((s) => s.id === "retention.schedule")!.nextRunAt!)).toBeGreaterThan(Date.now());
    expect(overview.workers.map((w) => w.pid)).toContain(process.pid);
    expect(overview.workers.find((w) => w.pid === process.pid)!.queues).toEqual(running.queueNames);

    // The platform fan-out: one job per tenant, each in its tenant's scope; run twice, added once.
    const fanout = await running.queues.queue("retention").add("retention.schedule", {}, { jobId: "fanout-test" });
    const done = await waitForJob(running, "retention", fanout.id!, "completed");
    const tenants = (await su.query("SELECT count(*)::int AS n FROM tenants")).rows[0].n;
    expect(done.returnvalue).toEqual({ tenants });
    const tenantJobs = (await running.queues.queue("retention").getJobs(["waiting", "active", "completed", "delayed", "failed"])).filter((j) => j.name === "retention.tenant" && j.data.tenantId === tenant);
    expect(tenantJobs).toHaveLength(1);
  });

  it("a graceful close leaves the alive set at once", async () => {
    const other = startWorkers({ connection, prefix, concurrency: 1, logger, db, securityEvents: false, usage: false, healthNamespace: namespace });
    await Promise.all(other.workers.map((w) => w.waitUntilReady()));
    await new Promise((r) => setTimeout(r, 100));
    expect((await readAliveWorkers(connection, Date.now(), namespace)).length).toBe(2);
    await other.close();
    expect((await readAliveWorkers(connection, Date.now(), namespace)).length).toBe(1);
  });
});
