import type pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb, insertTenantWithMember, superuser } from "../../test/db-helpers";
import { verifyAuditChain } from "../../lib/audit/verify-chain";
import { SCHEDULES } from "../schedules";
import { processAuditCheckpoints } from "./audit-checkpoints";

describe("audit.checkpoint_all job", () => {
  const db = appDb(2);
  let su: pg.Client;
  beforeAll(async () => {
    su = await superuser();
  });
  afterAll(async () => {
    await su.end();
    await db.$disconnect();
  });

  it("is scheduled hourly", () => {
    expect(SCHEDULES).toContainEqual(expect.objectContaining({ job: "audit.checkpoint_all", every: 3_600_000 }));
  });

  it("signs every tenant's head once; a repeated run adds nothing until the chain grows", async () => {
    const t = await insertTenantWithMember(su, `cp-job-${Date.now().toString(36)}`);
    const logger = pino({ level: "silent" });
    const first = await processAuditCheckpoints({ db, logger });
    expect(first.created).toBeGreaterThanOrEqual(1);
    const rows = (await su.query("SELECT seq::int FROM audit_checkpoints WHERE tenant_id = $1", [t.tenantId])).rows;
    expect(rows).toEqual([{ seq: 1 }]);
    expect((await processAuditCheckpoints({ db, logger })).created).toBe(0);
    await su.query("INSERT INTO audit_logs (tenant_id, action, actor_type) VALUES ($1, 'key.create', 'system')", [t.tenantId]);
    await processAuditCheckpoints({ db, logger });
    expect((await su.query("SELECT seq::int FROM audit_checkpoints WHERE tenant_id = $1 ORDER BY seq", [t.tenantId])).rows).toEqual([{ seq: 1 }, { seq: 2 }]);
    expect(await verifyAuditChain(t.tenantId, { db })).toMatchObject({ status: "valid", checkpoints: { total: 2, latestSeq: 2 } });
  });
});
