import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb, superuser } from "../../test/db-helpers";
import { withTenant } from "../db/tenant-scope";
import { createTenant } from "./create-tenant";

describe("createTenant", () => {
  const db = appDb(2);
  let su: pg.Client;
  let userId: string;
  const stamp = Date.now().toString(36);
  const ctx = () => ({ ownerUserId: userId, actor: { type: "user" as const, id: userId }, requestId: "req-1" });

  beforeAll(async () => {
    su = await superuser();
    userId = (await su.query("INSERT INTO users (email, name) VALUES ($1, 'Founder') RETURNING id", [`founder-${stamp}@example.test`])).rows[0].id;
  });
  afterAll(async () => {
    await su.end();
    await db.$disconnect();
  });

  it("creates the tenant, its owner and the audit entry together", async () => {
    const tenant = await createTenant({ name: `  Acme ${stamp} Ltd. ` }, ctx(), db);
    expect(tenant.name).toBe(`Acme ${stamp} Ltd.`);
    expect(tenant.slug).toBe(`acme-${stamp}-ltd`);
    const [members, audit] = await withTenant(tenant.id, (tx) =>
      Promise.all([tx.membership.findMany(), tx.auditLog.findMany()]), db);
    expect(members.map((m) => [m.userId, m.role])).toEqual([[userId, "owner"]]);
    expect(audit.map((e) => [e.action, e.actorType, e.actorId, e.requestId])).toEqual([["tenant.create", "user", userId, "req-1"]]);
  });

  it.each([
    [{ name: "" }, "name", "Name is required"],
    [{ name: "x".repeat(101) }, "name", "Name must be at most 100 characters"],
    [{ name: "Ok", slug: "Bad Slug!" }, "slug", "Slug may contain lowercase letters, digits and inner hyphens only"],
    [{ name: "Ok", slug: "s".repeat(49) }, "slug", "Slug must be at most 48 characters"],
    [{ name: "Ok", slug: "admin" }, "slug", "This slug is reserved"],
    [{ name: "!!!" }, "slug", "Choose a slug of letters and digits"],
  ])("refuses %j with a field message on %s", async (input, field, message) => {
    await expect(createTenant(input, ctx(), db)).rejects.toMatchObject({
      code: "validation_failed",
      status: 400,
      fields: { [field]: message },
    });
  });

  it("refuses a taken slug with 409 and leaves nothing half-created", async () => {
    const slug = `taken-${stamp}`;
    await createTenant({ name: "First", slug }, ctx(), db);
    const before = await su.query("SELECT (SELECT count(*) FROM tenants)::int AS t, (SELECT count(*) FROM memberships)::int AS m, (SELECT count(*) FROM audit_logs)::int AS a");
    await expect(createTenant({ name: "Second", slug: slug.toUpperCase() }, ctx(), db)).rejects.toMatchObject({
      code: "conflict",
      status: 409,
      fields: { slug: `"${slug}" is already taken` },
    });
    const after = await su.query("SELECT (SELECT count(*) FROM tenants)::int AS t, (SELECT count(*) FROM memberships)::int AS m, (SELECT count(*) FROM audit_logs)::int AS a");
    expect(after.rows[0]).toEqual(before.rows[0]);
  });

  it("rolls the tenant back when the owner membership cannot be written", async () => {
    const slug = `orphan-${stamp}`;
    await expect(
      createTenant({ name: "Orphan", slug }, { ...ctx(), ownerUserId: "00000000-0000-4000-8000-000000000000" }, db),
    ).rejects.toThrow();
    expect((await su.query("SELECT 1 FROM tenants WHERE slug = $1", [slug])).rowCount).toBe(0);
  });
});
