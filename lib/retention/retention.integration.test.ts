import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb, insertTenantWithMember, superuser } from "../../test/db-helpers";
import { recordAudit } from "../audit/record-audit";
import { createCheckpoint } from "../audit/checkpoints";
import { verifyAuditChain } from "../audit/verify-chain";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { getRetentionOverview } from "./overview";
import { updateRetentionPolicies } from "./policies";
import { RetentionInterrupted, runTenantRetention } from "./run-retention";

const DAY = "interval '1 day'";

/** As superuser (fixtures only): `n` security events of `tenant`, `ageDays` old (+ up to 1 day spread). */
async function seedSecurityEvents(su: pg.Client, tenant: string, n: number, ageDays: number, tag: string): Promise<void> {
  await su.query(
    `INSERT INTO security_events (tenant_id, request_id, code, status, method, path, created_at)
     SELECT $1, $2 || '-' || g, 'rate_limited', 429, 'POST', '/v1/chat/completions',
            now() - $3 * ${DAY} - (g % 1000) * interval '1 minute'
     FROM generate_series(1, $4) g`,
    [tenant, tag, ageDays, n],
  );
}

async function seedUsage(su: pg.Client, tenant: string, n: number, ageDays: number, tag: string): Promise<void> {
  await su.query(
    `INSERT INTO usage_events (tenant_id, request_id, key_id, route, status, latency_ms, occurred_at)
     SELECT $1, $2 || '-' || g, gen_random_uuid(), 'chat', 200, 12, now() - $3 * ${DAY} - g * interval '1 second'
     FROM generate_series(1, $4) g`,
    [tenant, tag, ageDays, n],
  );
  await su.query(
    `INSERT INTO usage_rollups (tenant_id, granularity, bucket_start, key_id, status_class, requests)
     SELECT $1, 'minute', date_trunc('minute', now() - $2 * ${DAY}) - g * interval '1 minute', gen_random_uuid(), '2xx', 1
     FROM generate_series(1, $3) g`,
    [tenant, ageDays, n],
  );
}

async function count(su: pg.Client, table: string, column: string, tenant: string, olderThanDays: number): Promise<{ expired: number; kept: number }> {
  const { rows } = await su.query<{ expired: number; kept: number }>(
    `SELECT count(*) FILTER (WHERE ${column} < now() - $2 * ${DAY})::int AS expired,
            count(*) FILTER (WHERE ${column} >= now() - $2 * ${DAY})::int AS kept
     FROM ${table} WHERE tenant_id = $1`,
    [tenant, olderThanDays],
  );
  return rows[0]!;
}

describe("retention (real Postgres, application role)", { timeout: 120_000 }, () => {
  const db = appDb(2);
  let su: pg.Client;
  let a: string;
  let b: string;
  const stamp = Date.now().toString(36);

  beforeAll(async () => {
    su = await superuser();
    a = (await insertTenantWithMember(su, `ret-a-${stamp}`)).tenantId;
    b = (await insertTenantWithMember(su, `ret-b-${stamp}`)).tenantId;
  });

  afterAll(async () => {
    await su.end();
    await db.$disconnect();
  });

  it("deletes 100 000 expired security events and none younger, only of its tenant, and records the run", async () => {
    await seedSecurityEvents(su, a, 100_000, 91, "old"); // security log default: 90 days
    await seedSecurityEvents(su, a, 3_000, 80, "young");
    await seedSecurityEvents(su, b, 2_000, 200, "other");
    await seedUsage(su, a, 2_500, 31, "u-old"); // usage events default: 30 days; rollups: 400
    await seedUsage(su, a, 500, 1, "u-young");

    const result = await runTenantRetention(a, { runKey: "test-100k", trigger: "manual", batchSize: 10_000, db, pruneAudit: null });

    const byClass = Object.fromEntries(result.classes.map((c) => [c.dataClass, c]));
    expect(byClass.security_events).toMatchObject({ status: "succeeded", deletedCount: 100_000 });
    expect(byClass.usage_events).toMatchObject({ status: "succeeded", deletedCount: 2_500 });
    expect(byClass.usage_rollups).toMatchObject({ status: "succeeded", deletedCount: 0 });
    expect(byClass.audit_logs).toMatchObject({ status: "skipped", deletedCount: 0 });

    expect(await count(su, "security_events", "created_at", a, 90)).toEqual({ expired: 0, kept: 3_000 });
    expect(await count(su, "usage_events", "occurred_at", a, 30)).toEqual({ expired: 0, kept: 500 });
    expect((await count(su, "usage_rollups", "bucket_start", a, 0)).expired).toBe(3_000);
    expect(await count(su, "security_events", "created_at", b, 90)).toEqual({ expired: 2_000, kept: 0 });

    const oldestYoung = (await su.query("SELECT min(created_at) AS t FROM security_events WHERE tenant_id = $1", [a])).rows[0].t as Date;
    expect(byClass.security_events!.oldestKeptAt).toBe(oldestYoung.toISOString());

    const audit = await su.query(
      "SELECT target_id, metadata FROM audit_logs WHERE tenant_id = $1 AND action = 'retention.run' ORDER BY target_id",
      [a],
    );
    expect(audit.rows.map((r) => [r.target_id, r.metadata.deleted])).toEqual([
      ["security_events", 100_000],
      ["usage_events", 2_500],
      ["usage_rollups", 0],
    ]);
    expect(audit.rows[0].metadata).toMatchObject({ runKey: "test-100k", batches: 10, retentionDays: 90 });

    const overview = await getRetentionOverview(a, db);
    const security = overview.classes.find((c) => c.dataClass === "security_events")!;
    expect(security).toMatchObject({ days: 90, isDefault: true, oldestKeptAt: oldestYoung.toISOString() });
    expect(security.lastRun).toMatchObject({ status: "succeeded", deletedCount: 100_000, trigger: "manual" });
    expect((await getRetentionOverview(b, db)).classes.every((c) => c.lastRun === null)).toBe(true);
  });

  it("a run stopped mid-way (as if killed) resumes under its key with exact counts and one audit entry", async () => {
    await seedSecurityEvents(su, a, 25_000, 120, "crash");
    const opts = { runKey: "test-crash", trigger: "schedule" as const, batchSize: 5_000, db, pruneAudit: null, classes: ["security_events" as const] };

    await expect(runTenantRetention(a, { ...opts, maxBatches: 3 })).rejects.toBeInstanceOf(RetentionInterrupted);
    expect((await count(su, "security_events", "created_at", a, 90)).expired).toBe(10_000);
    const mid = await su.query("SELECT status, deleted_count FROM retention_runs WHERE tenant_id = $1 AND run_key = 'test-crash'", [a]);
    expect(mid.rows).toEqual([{ status: "running", deleted_count: "15000" }]);

    const done = await runTenantRetention(a, opts);
    expect(done.classes).toMatchObject([{ dataClass: "security_events", status: "succeeded", deletedCount: 25_000 }]);
    expect(await count(su, "security_events", "created_at", a, 90)).toEqual({ expired: 0, kept: 3_000 });

    // The same key again: already finished, nothing more deleted or audited.
    const again = await runTenantRetention(a, opts);
    expect(again.classes[0]).toMatchObject({ status: "succeeded", deletedCount: 25_000 });
    const entries = await su.query(
      "SELECT metadata FROM audit_logs WHERE tenant_id = $1 AND action = 'retention.run' AND metadata->>'runKey' = 'test-crash'",
      [a],
    );
    expect(entries.rows.map((r) => r.metadata.deleted)).toEqual([25_000]);
  });

  it("a tenant's own policy applies; audit cannot go below the platform minimum; changes are audited", async () => {
    const ctx = { actor: { type: "user" as const, id: null } };
    const err = await updateRetentionPolicies(a, { audit_logs: 30 }, ctx, db).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).fields).toEqual({ audit_logs: "Audit trail must be kept at least 365 days (platform minimum)" });

    const policies = await updateRetentionPolicies(a, { security_events: 60, audit_logs: 400 }, ctx, db);
    expect(policies.security_events).toMatchObject({ days: 60, isDefault: false });
    expect(policies.audit_logs).toMatchObject({ days: 400, isDefault: false });
    const change = await su.query("SELECT metadata FROM audit_logs WHERE tenant_id = $1 AND action = 'retention.update'", [a]);
    expect(change.rows[0].metadata).toEqual({
      before: { security_events: { days: 90, default: true }, audit_logs: { days: 365, default: true } },
      after: { security_events: { days: 60, default: false }, audit_logs: { days: 400, default: false } },
    });

    // 3 000 rows of 80 days are now expired for this tenant; tenant B keeps the default.
    const run = await runTenantRetention(a, { runKey: "test-policy", trigger: "manual", db, pruneAudit: null, classes: ["security_events"] });
    expect(run.classes[0]).toMatchObject({ deletedCount: 3_000, oldestKeptAt: null });

    const reset = await updateRetentionPolicies(a, { security_events: null }, ctx, db);
    expect(reset.security_events).toMatchObject({ days: 90, isDefault: true });
    expect((await updateRetentionPolicies(b, { usage_events: 7 }, ctx, db)).security_events.isDefault).toBe(true);
  });

  it("audit entries: pruned through the retention role below the newest old-enough checkpoint; the chain still verifies", async () => {
    const c = (await insertTenantWithMember(su, `ret-c-${stamp}`)).tenantId;
    await withTenant(c, async (tx) => {
      for (let i = 0; i < 5; i++) await recordAudit(tx, c, { action: "key.create", actor: { type: "system" } });
    }, db);
    const later = new Date(Date.now() + 366 * 86_400_000); // as if a year had passed: every entry is past 365 days
    const opts = { trigger: "manual" as const, db, batchSize: 2, classes: ["audit_logs" as const], now: later };

    // No signed checkpoint yet: nothing can go (the chain needs an anchor).
    expect((await runTenantRetention(c, { ...opts, runKey: "audit-1" })).classes[0]).toMatchObject({ status: "succeeded", deletedCount: 0 });
    await createCheckpoint(c, { db }); // covers the head: seq 7 (fixture entry, 5 entries, the run's own entry)
    const result = await runTenantRetention(c, { ...opts, runKey: "audit-2" });
    expect(result.classes[0]).toMatchObject({ status: "succeeded", deletedCount: 6 });
    const seqs = (await su.query("SELECT seq::int, action FROM audit_logs WHERE tenant_id = $1 ORDER BY seq", [c])).rows;
    expect(seqs.map((r) => r.seq)).toEqual([7, 8]);
    expect(seqs[1]).toMatchObject({ action: "retention.run" });
    expect(await verifyAuditChain(c, { db })).toMatchObject({ status: "valid", anchor: "checkpoint" });
  });
});
