import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { Redis } from "ioredis";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertTenantWithMember, superuser } from "../test/db-helpers";
import { testEnv } from "../test/test-env";
import { createQueueClient, type QueueClient } from "../lib/queue/enqueue";
import { readAliveWorkers } from "../lib/queue/worker-health";
import { createRedis } from "../lib/redis/connection";

const ROOT = path.resolve(import.meta.dirname, "..");
const TOTAL = 200_000;
const YOUNG = 1_000;

/**
 * Real worker processes (`workers/main.ts`, default queue prefix in the test
 * Redis database) running one retention job: killed with SIGKILL mid-run,
 * resumed by another process, stopped with SIGTERM mid-run (the job is handed
 * back and the process exits 0), finished by a third — with exact counts.
 */
describe("retention job across worker crashes and graceful shutdown (real processes)", () => {
  let su: pg.Client;
  let connection: Redis;
  let queues: QueueClient;
  let tenantId: string;
  const children: ChildProcess[] = [];

  function startWorker(): ChildProcess {
    const log = process.env.RETENTION_TEST_LOG;
    const child = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
      cwd: ROOT,
      env: { ...process.env, ...testEnv(), LOG_LEVEL: log ? "debug" : "silent", RETENTION_BATCH_SIZE: "200" },
      stdio: log ? ["ignore", "inherit", "inherit"] : "ignore",
    });
    children.push(child);
    return child;
  }

  const exited = (child: ChildProcess) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
      else child.once("exit", (code, signal) => resolve({ code, signal }));
    });

  async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await fn();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function progress(jobId: string): Promise<{ status: string; deleted: number; expiredLeft: number }> {
    const run = await su.query(
      "SELECT status, deleted_count::int AS deleted FROM retention_runs WHERE tenant_id = $1 AND run_key = $2 AND data_class = 'security_events'",
      [tenantId, jobId],
    );
    const left = await su.query(
      "SELECT count(*)::int AS n FROM security_events WHERE tenant_id = $1 AND created_at < now() - interval '90 days'",
      [tenantId],
    );
    return { status: run.rows[0]?.status ?? "none", deleted: run.rows[0]?.deleted ?? 0, expiredLeft: left.rows[0].n };
  }

  beforeAll(async () => {
    su = await superuser();
    tenantId = (await insertTenantWithMember(su, `ret-proc-${Date.now().toString(36)}`)).tenantId;
    await su.query(
      `INSERT INTO security_events (tenant_id, request_id, code, status, method, path, created_at)
       SELECT $1, 'old-' || g, 'rate_limited', 429, 'POST', '/v1/chat/completions', now() - interval '100 days' - g * interval '1 second'
       FROM generate_series(1, $2) g`,
      [tenantId, TOTAL],
    );
    await su.query(
      `INSERT INTO security_events (tenant_id, request_id, code, status, method, path, created_at)
       SELECT $1, 'young-' || g, 'rate_limited', 429, 'POST', '/v1/chat/completions', now() - interval '1 day'
       FROM generate_series(1, $2) g`,
      [tenantId, YOUNG],
    );
    connection = createRedis({ forBullmq: true, connectionName: "mg-retention-proc-test" });
    queues = createQueueClient({ connection });
    await queues.queue("retention").obliterate({ force: true });
  }, 60_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await queues.queue("retention").obliterate({ force: true }).catch(() => {});
    await queues.close();
    await connection.quit();
    await su.end();
  });

  it("SIGKILL mid-run → resumed by another worker; SIGTERM mid-run → handed back, exit 0; a third finishes: exact counts", { timeout: 180_000 }, async () => {
    const first = startWorker();
    const { jobId } = await queues.enqueue("retention.tenant", { tenantId, trigger: "manual" }, { idempotencyKey: "proc-test" });

    const p1 = await until("the first worker to delete", async () => {
      const p = await progress(jobId);
      return p.deleted > 0 ? p : null;
    }, 60_000);
    first.kill("SIGKILL");
    expect((await exited(first)).signal).toBe("SIGKILL");
    const afterKill = await progress(jobId);
    expect(afterKill.status).toBe("running");
    expect(afterKill.deleted).toBeGreaterThanOrEqual(p1.deleted);
    expect(afterKill.deleted).toBeLessThan(TOTAL);
    expect(afterKill.deleted + afterKill.expiredLeft).toBe(TOTAL); // each batch and its count commit together

    // The killed worker's lock expires (≤ 30 s); the next worker's stalled-job check takes the job over.
    const second = startWorker();
    await until("the second worker to resume", async () => (await progress(jobId)).deleted > afterKill.deleted, 120_000);
    second.kill("SIGTERM");
    const stop = await exited(second);
    expect(stop).toEqual({ code: 0, signal: null });
    const afterStop = await progress(jobId);
    expect(afterStop.deleted + afterStop.expiredLeft).toBe(TOTAL);
    expect(afterStop.expiredLeft).toBeGreaterThan(0); // it did not hold shutdown up to finish
    const job = await queues.queue("retention").getJob(jobId);
    expect(["delayed", "waiting"]).toContain(await job!.getState()); // handed back, not failed
    expect((await readAliveWorkers(connection)).map((w) => w.pid)).not.toContain(second.pid);

    const third = startWorker();
    await until("the job to complete", async () => (await job!.getState()) === "completed", 60_000).catch(async (err) => {
      const fresh = await queues.queue("retention").getJob(jobId);
      if (process.env.RETENTION_TEST_LOG) {
        console.log((await su.query("SELECT pid, state, wait_event_type, wait_event, left(query, 120) AS q, xact_start FROM pg_stat_activity WHERE datname = current_database()")).rows);
        console.log(JSON.stringify(fresh), await connection.keys("mg:q:retention:*"));
      }
      throw new Error(`${(err as Error).message}: state ${await fresh?.getState()}, ${JSON.stringify(await progress(jobId))}, failed: ${fresh?.failedReason}`);
    });
    expect(await progress(jobId)).toEqual({ status: "succeeded", deleted: TOTAL, expiredLeft: 0 });
    const kept = await su.query("SELECT count(*)::int AS n FROM security_events WHERE tenant_id = $1", [tenantId]);
    expect(kept.rows[0].n).toBe(YOUNG);
    const audit = await su.query(
      "SELECT metadata FROM audit_logs WHERE tenant_id = $1 AND action = 'retention.run' AND target_id = 'security_events'",
      [tenantId],
    );
    expect(audit.rows.map((r) => r.metadata.deleted)).toEqual([TOTAL]);
    expect((await readAliveWorkers(connection)).map((w) => w.pid)).toContain(third.pid);
    third.kill("SIGTERM");
    expect(await exited(third)).toEqual({ code: 0, signal: null });
  });
});
