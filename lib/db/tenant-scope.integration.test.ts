import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb, insertTenantWithMember, superuser } from "../../test/db-helpers";
import type pg from "pg";
import { withOperatorRead, withTenant, withUserSelf } from "./tenant-scope";

describe("scope helpers", () => {
  const db = appDb(2);
  let su: pg.Client;
  let a: Awaited<ReturnType<typeof insertTenantWithMember>>;
  let b: Awaited<ReturnType<typeof insertTenantWithMember>>;
  let operatorId: string;
  let plainUserId: string;

  beforeAll(async () => {
    su = await superuser();
    const stamp = Date.now().toString(36);
    a = await insertTenantWithMember(su, `scope-a-${stamp}`);
    b = await insertTenantWithMember(su, `scope-b-${stamp}`);
    // The user of A also belongs to B, as a viewer.
    await su.query("INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'viewer')", [b.tenantId, a.userId]);
    operatorId = (await su.query("INSERT INTO users (email, name, is_operator) VALUES ($1, 'Op', true) RETURNING id", [`op-${stamp}@example.test`])).rows[0].id;
    plainUserId = b.userId;
  });

  afterAll(async () => {
    await su.end();
    await db.$disconnect();
  });

  it("withTenant: another tenant's row by id is simply not there", async () => {
    const found = await withTenant(a.tenantId, (tx) => tx.membership.findUnique({ where: { id: b.membershipId } }), db);
    expect(found).toBeNull();
    const own = await withTenant(a.tenantId, (tx) => tx.membership.findUnique({ where: { id: a.membershipId } }), db);
    expect(own?.tenantId).toBe(a.tenantId);
  });

  it("withTenant: a write under another tenant's id fails and nothing is written", async () => {
    await expect(
      withTenant(a.tenantId, (tx) => tx.auditLog.create({ data: { tenantId: b.tenantId, action: "x.y", actorType: "system" } }), db),
    ).rejects.toThrow();
    const count = await su.query("SELECT count(*)::int AS n FROM audit_logs WHERE tenant_id = $1 AND action = 'x.y'", [b.tenantId]);
    expect(count.rows[0].n).toBe(0);
  });

  it("withTenant refuses a tenant id that is not a uuid with not_found", async () => {
    await expect(withTenant("../etc", async () => 1, db)).rejects.toMatchObject({ code: "not_found" });
  });

  it("withUserSelf: a user lists their own memberships across tenants and nothing else", async () => {
    const rows = await withUserSelf(a.userId, (tx) => tx.membership.findMany({ select: { tenantId: true, userId: true } }), db);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.userId === a.userId)).toBe(true);
    const audits = await withUserSelf(a.userId, (tx) => tx.auditLog.count(), db);
    expect(audits).toBe(0);
    await expect(
      withUserSelf(a.userId, (tx) => tx.membership.update({ where: { id: a.membershipId }, data: { role: "viewer" } }), db),
    ).rejects.toThrow();
  });

  it("withOperatorRead: reads across tenants, read-only, and is itself audited", async () => {
    const before = await su.query("SELECT count(*)::int AS n FROM platform_audit_logs WHERE actor_id = $1", [operatorId]);
    const tenants = await withOperatorRead(
      { actor: { type: "user", id: operatorId }, reason: "quarterly review", resource: "audit_logs" },
      async (tx) => new Set((await tx.auditLog.findMany({ select: { tenantId: true } })).map((r) => r.tenantId)),
      db,
    );
    expect(tenants.has(a.tenantId) && tenants.has(b.tenantId)).toBe(true);
    const after = await su.query(
      "SELECT action, reason, target_type FROM platform_audit_logs WHERE actor_id = $1 ORDER BY created_at DESC",
      [operatorId],
    );
    expect(after.rows.length).toBe(before.rows[0].n + 1);
    expect(after.rows[0]).toEqual({ action: "operator.read", reason: "quarterly review", target_type: "audit_logs" });
    await expect(
      withOperatorRead({ actor: { type: "user", id: operatorId }, reason: "r", resource: "memberships" }, (tx) => tx.membership.deleteMany({}), db),
    ).rejects.toThrow();
    expect((await su.query("SELECT count(*)::int AS n FROM memberships WHERE tenant_id = $1", [b.tenantId])).rows[0].n).toBe(2);
  });

  it("withOperatorRead refuses a user who is not a platform operator", async () => {
    await expect(
      withOperatorRead({ actor: { type: "user", id: plainUserId }, reason: "curious", resource: "audit_logs" }, (tx) => tx.auditLog.count(), db),
    ).rejects.toMatchObject({ code: "forbidden" });
  });
});
