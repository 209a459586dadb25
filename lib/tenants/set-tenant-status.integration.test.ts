import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb, insertTenantWithMember, superuser } from "../../test/db-helpers";
import { withTenant } from "../db/tenant-scope";
import { closeSharedRedis } from "../redis/shared";
import { setTenantStatus } from "./set-tenant-status";

describe("setTenantStatus", () => {
  const db = appDb(1);
  let su: pg.Client;
  let t: Awaited<ReturnType<typeof insertTenantWithMember>>;
  const slug = `suspend-${Date.now().toString(36)}`;
  const ctx = { actor: { type: "system" as const, id: "cli:test" }, reason: "unpaid invoice" };

  beforeAll(async () => {
    su = await superuser();
    t = await insertTenantWithMember(su, slug);
  });
  afterAll(async () => {
    await su.end();
    await db.$disconnect();
    await closeSharedRedis();
  });

  it("suspends and reactivates, auditing each change once, idempotently", async () => {
    expect((await setTenantStatus(slug, "suspended", ctx, db)).status).toBe("suspended");
    expect((await setTenantStatus(slug, "suspended", ctx, db)).status).toBe("suspended");
    expect((await setTenantStatus(slug, "active", ctx, db)).status).toBe("active");
    const audit = await withTenant(t.tenantId, (tx) => tx.auditLog.findMany({ where: { action: { startsWith: "tenant." } }, orderBy: { createdAt: "asc" } }), db);
    expect(audit.map((e) => [e.action, e.actorId, (e.metadata as { reason: string }).reason])).toEqual([
      ["tenant.suspend", "cli:test", "unpaid invoice"],
      ["tenant.reactivate", "cli:test", "unpaid invoice"],
    ]);
  });

  it("an unknown tenant is a 404", async () => {
    await expect(setTenantStatus("no-such-tenant", "suspended", ctx, db)).rejects.toMatchObject({ code: "not_found", status: 404 });
  });
});
