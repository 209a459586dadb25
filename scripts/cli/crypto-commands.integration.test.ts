import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { insertTenantWithMember, superuser } from "../../test/db-helpers";
import { TEST_ROTATION_MASTER_KEY, testEnv } from "../../test/test-env";
import { getConfig } from "../../lib/config/env";
import { kekIdOf } from "../../lib/crypto/key-provider";
import { createQueueClient } from "../../lib/queue/enqueue";
import { createRedis } from "../../lib/redis/connection";

const run = promisify(execFile);

async function mg(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("node_modules/.bin/tsx", ["scripts/mg.ts", ...args], { env: { ...process.env, ...testEnv(), ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("mg crypto", { timeout: 120_000 }, () => {
  let su: pg.Client;
  let slug: string;
  let tenantId: string;
  const original = getConfig().MASTER_KEY;
  const next = TEST_ROTATION_MASTER_KEY;

  beforeAll(async () => {
    su = await superuser();
    slug = `crypto-cli-${randomUUID().slice(0, 8)}`;
    tenantId = (await insertTenantWithMember(su, slug)).tenantId;
  });
  afterAll(() => su.end());

  it("rotate-data-key needs exactly one target (usage error, exit 2)", async () => {
    const none = await mg(["crypto", "rotate-data-key", "--json"]);
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stderr)).toMatchObject({ error: { code: "usage" } });
    const both = await mg(["crypto", "rotate-data-key", "--tenant", slug, "--platform", "--json"]);
    expect(both.code).toBe(2);
    const unknown = await mg(["crypto", "rotate-data-key", "--tenant", "no-such-tenant", "--json"]);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr)).toMatchObject({ error: { code: "not_found" } });
  });

  it("rotate-data-key --inline creates a version and re-encrypts at once; without --inline it enqueues the job", async () => {
    const inline = await mg(["crypto", "rotate-data-key", "--tenant", slug, "--inline", "--json"]);
    expect(inline.code).toBe(0);
    expect(JSON.parse(inline.stdout)).toEqual({ keyVersion: 1, resumed: false, reencrypted: 0, done: true });

    const queued = await mg(["crypto", "rotate-data-key", "--tenant", slug, "--json"]);
    expect(queued.code).toBe(0);
    const out = JSON.parse(queued.stdout);
    expect(out).toMatchObject({ keyVersion: 2, resumed: false, jobId: expect.stringMatching(new RegExp(`^data_key\\.reencrypt\\.${tenantId}\\.`)) });
    const connection = createRedis({ forBullmq: true, connectionName: "mg-crypto-cli-test" });
    const queues = createQueueClient({ connection });
    try {
      const job = await queues.queue("maintenance").getJob(out.jobId);
      expect(job?.data).toEqual({ tenantId, keyVersion: 2 });
      await job?.remove();
    } finally {
      await queues.close();
      await connection.quit();
    }
    const { rows } = await su.query("SELECT action, actor_type, actor_id FROM audit_logs WHERE tenant_id = $1 AND action LIKE 'crypto.%' ORDER BY seq", [tenantId]);
    expect(rows.map((r) => r.action)).toEqual(["crypto.data_key_rotate", "crypto.data_key_reencrypted", "crypto.data_key_rotate"]);
    expect(rows[0]).toMatchObject({ actor_type: "system", actor_id: expect.stringMatching(/^cli:/) });
  });

  it("rewrap moves every data key to the new master key, and status says which keys are still needed", async () => {
    // Rewrap covers every tenant of this database. The isolation suite's
    // fixture keys (kek "fixture0", bytes that unwrap under no key) would be
    // reported as damaged — correctly — so they go first when that suite ran earlier.
    await su.query("DELETE FROM tenant_data_keys WHERE kek_id = 'fixture0'");
    const rotated = { MASTER_KEY: next, MASTER_KEY_PREVIOUS: original };
    const before = JSON.parse((await mg(["crypto", "status", "--json"], rotated)).stdout);
    expect(before.currentKekId).toBe(kekIdOf(Buffer.from(next, "base64")));
    expect(before.configuredKekIds).toEqual([kekIdOf(Buffer.from(next, "base64")), kekIdOf(Buffer.from(original, "base64"))]);
    expect(before.versionsByKek[kekIdOf(Buffer.from(original, "base64"))]).toBeGreaterThanOrEqual(2);
    expect(before.rotationsInProgress).toEqual(expect.arrayContaining([{ owner: `tenant:${tenantId}`, keyVersion: 2, reencryptedRows: 0 }]));

    const rewrap = await mg(["crypto", "rewrap", "--json"], rotated);
    expect(rewrap.code, rewrap.stderr + rewrap.stdout).toBe(0);
    expect(JSON.parse(rewrap.stdout)).toMatchObject({ kekId: before.currentKekId, skipped: 0, rewrapped: expect.any(Number) });
    const after = JSON.parse((await mg(["crypto", "status", "--json"], rotated)).stdout);
    expect(Object.keys(after.versionsByKek)).toEqual([before.currentKekId]);
    const human = await mg(["crypto", "status"], rotated);
    expect(human.stdout).toContain(`current master key: ${before.currentKekId}`);

    // Back to the configured key for the rest of this test run.
    expect((await mg(["crypto", "rewrap", "--json"], { MASTER_KEY: original, MASTER_KEY_PREVIOUS: next })).code).toBe(0);
    const { rows } = await su.query("SELECT DISTINCT kek_id FROM tenant_data_keys");
    expect(rows).toEqual([{ kek_id: kekIdOf(Buffer.from(original, "base64")) }]);
  });
});
