import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb, insertTenantWithMember, superuser } from "../../test/db-helpers";
import { testEnv } from "../../test/test-env";
import { clearDataKeyCache } from "../../lib/crypto/data-keys";
import { dataKeyVersionOf, openTenantSecret, sealTenantSecret } from "../../lib/crypto/tenant-secrets";
import { withTenant } from "../../lib/db/tenant-scope";
import { createLogger } from "../../lib/log/logger";
import { createRedis } from "../../lib/redis/connection";
import { startWorkers, type RunningWorkers } from "../start-workers";

const logger = createLogger("reencrypt-test", { level: "silent" });
const at = (rowId: string) => ({ table: "webhook_endpoints", column: "secret_ciphertext", rowId });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe("data-key re-encryption job: SIGKILL mid-way, a fresh worker resumes", { timeout: 120_000 }, () => {
  const db = appDb(4);
  const prefix = `mg:test:${randomUUID()}`;
  let su: pg.Client;
  let connection: Redis;
  let running: RunningWorkers | undefined;

  beforeAll(async () => {
    su = await superuser();
    connection = createRedis({ forBullmq: true, connectionName: "mg-reencrypt-test" });
  });

  afterAll(async () => {
    await running?.close();
    await running?.queues.queue("maintenance").obliterate({ force: true });
    await connection.quit();
    await su.end();
    await db.$disconnect();
  });

  it("re-encrypts every row onto the new version exactly once, after the first worker was killed inside a batch", async () => {
    const slug = `reenc-${randomUUID().slice(0, 8)}`;
    const { tenantId } = await insertTenantWithMember(su, slug);
    const rows: { id: string; secret: string }[] = [];
    for (let i = 0; i < 8; i++) {
      const id = (await su.query<{ id: string }>(
        "INSERT INTO webhook_endpoints (tenant_id, url, secret_ciphertext, secret_prefix) VALUES ($1, $2, '\\x00', 'whsec_test') RETURNING id",
        [tenantId, `https://hooks.example.test/${i}`],
      )).rows[0]!.id;
      const secret = `whsec_${randomBytes(24).toString("base64")}`;
      await withTenant(tenantId, async (tx) => {
        const sealed = await sealTenantSecret(tx, tenantId, at(id), Buffer.from(secret));
        await tx.$executeRaw`UPDATE webhook_endpoints SET secret_ciphertext = ${new Uint8Array(sealed)} WHERE id = ${id}::uuid`;
      }, db);
      rows.push({ id, secret });
    }
    rows.sort((a, b) => (a.id < b.id ? -1 : 1)); // the job walks rows in id order
    const version = async (id: string) =>
      dataKeyVersionOf((await su.query<{ c: Buffer }>("SELECT secret_ciphertext AS c FROM webhook_endpoints WHERE id = $1", [id])).rows[0]!.c);
    const keyRow = async (v: number) =>
      (await su.query("SELECT status, reencrypted_rows, reencrypted_at, reencrypt_cursor FROM tenant_data_keys WHERE tenant_id = $1 AND key_version = $2", [tenantId, v])).rows[0];

    // Another session holds row 5 (in job order): the CLI's third batch (rows 4-5) will wait on it.
    const blocker = new pg.Client({ connectionString: testEnv().MIGRATION_DATABASE_URL! });
    await blocker.connect();
    await blocker.query("BEGIN");
    await blocker.query("SELECT 1 FROM webhook_endpoints WHERE id = $1 FOR UPDATE", [rows[5]!.id]);

    // node itself (tsx as a loader), so the SIGKILL reaches the process that holds the transaction.
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/mg.ts", "crypto", "rotate-data-key", "--tenant", slug, "--inline", "--batch-size", "2", "--json"], {
      env: { ...process.env, ...testEnv() },
      stdio: "ignore",
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    try {
      await until("two committed batches", async () => (await keyRow(2))?.reencrypted_rows === 4);
      await until("the third batch waiting on the locked row", async () =>
        (await su.query("SELECT 1 FROM pg_stat_activity WHERE usename = 'modelgate_app' AND wait_event_type = 'Lock' AND query LIKE 'UPDATE \"webhook_endpoints\"%'")).rowCount,
      );
      child.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");
    } finally {
      await blocker.query("ROLLBACK");
      await blocker.end();
    }

    // The killed batch left nothing behind: rows 0-3 moved, 4-7 still on version 1, cursor after row 3.
    await until("the killed session's transaction to end", async () =>
      !(await su.query("SELECT 1 FROM pg_stat_activity WHERE usename = 'modelgate_app' AND query LIKE 'UPDATE \"webhook_endpoints\"%' AND state <> 'idle'")).rowCount,
    );
    const versions = async () => {
      const out: number[] = [];
      for (const r of rows) out.push(await version(r.id));
      return out;
    };
    expect(await versions()).toEqual([2, 2, 2, 2, 1, 1, 1, 1]);
    expect(await keyRow(2)).toMatchObject({ reencrypted_rows: 4, reencrypted_at: null, reencrypt_cursor: { afterId: rows[3]!.id } });

    // A fresh worker (real BullMQ) takes the job and resumes from the cursor.
    running = startWorkers({ connection, prefix, concurrency: 1, logger, db, securityEvents: false, usage: false, reencrypt: { batchSize: 2 } });
    const { jobId } = await running.queues.enqueue("data_key.reencrypt", { tenantId, keyVersion: 2 }, { idempotencyKey: "v2" });
    const job = await until("the job to complete", async () => {
      const j = await running!.queues.queue("maintenance").getJob(jobId);
      const state = await j?.getState();
      if (state === "failed") throw new Error(`job failed: ${j?.failedReason}`);
      return state === "completed" ? j : null;
    });
    expect(job!.returnvalue).toMatchObject({ keyVersion: 2, reencrypted: 4 });

    expect(await versions()).toEqual(rows.map(() => 2));
    expect(await keyRow(2)).toMatchObject({ reencrypted_rows: 8, reencrypted_at: expect.any(Date) });
    expect(await keyRow(1)).toMatchObject({ status: "retired" });
    clearDataKeyCache();
    for (const r of rows) {
      const envelope = (await su.query<{ c: Buffer }>("SELECT secret_ciphertext AS c FROM webhook_endpoints WHERE id = $1", [r.id])).rows[0]!.c;
      expect((await withTenant(tenantId, (tx) => openTenantSecret(tx, tenantId, at(r.id), envelope), db)).toString()).toBe(r.secret);
    }
  });
});
