import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { can, type Permission, type PlatformPermission } from "../lib/auth/permissions";
import { routeMetaOf, type RouteMeta } from "../lib/auth/route-meta";
import { getDb } from "../lib/db/client";
import type { Role } from "../lib/db/generated/enums";
import { withTenant } from "../lib/db/tenant-scope";
import { closeSharedRedis } from "../lib/redis/shared";
import { createTenant } from "../lib/tenants/create-tenant";
import { apiRequest, createTestUser, segment, sessionCookieFor, stamp } from "./management-api";

vi.mock("server-only", () => ({}));

/**
 * Every management route × every role. Route files are enumerated, so a new
 * route is covered (and fails here until it is declared below). Each wrapped
 * handler carries what it declared (lib/auth/route-meta.ts); the table holds
 * those declarations up for review, and the requests prove the server
 * enforces them: a role without the permission gets exactly 403 `forbidden`,
 * a role with it gets past every access check (a 2xx, or the handler's own
 * 400/404/409 for the empty test body); a non-member, a platform operator who
 * is not a member, and a member of a suspended tenant get 404, 404 and 403;
 * no session gets 401; a sensitive route asks for MFA enrolment (403) and a
 * fresh step-up (401).
 */
type Declared = { permission: Permission | PlatformPermission | "self"; stepUp: boolean };

const DECLARED: Record<string, Declared> = {
  "GET /api/v1/tenants": { permission: "self", stepUp: false },
  "POST /api/v1/tenants": { permission: "self", stepUp: false },
  "GET /api/v1/tenants/[slug]/members": { permission: "members.read", stepUp: false },
  "GET /api/v1/tenants/[slug]/members/[id]": { permission: "members.read", stepUp: false },
  "PATCH /api/v1/tenants/[slug]/members/[id]": { permission: "members.write", stepUp: true },
  "DELETE /api/v1/tenants/[slug]/members/[id]": { permission: "members.write", stepUp: true },
  "GET /api/v1/tenants/[slug]/invitations": { permission: "members.write", stepUp: false },
  "POST /api/v1/tenants/[slug]/invitations": { permission: "members.write", stepUp: true },
  "DELETE /api/v1/tenants/[slug]/invitations/[id]": { permission: "members.write", stepUp: false },
  "GET /api/v1/tenants/[slug]/audit": { permission: "audit.read", stepUp: false },
  "GET /api/v1/tenants/[slug]/audit/export": { permission: "audit.read", stepUp: false },
  "GET /api/v1/tenants/[slug]/audit/verify": { permission: "audit.read", stepUp: false },
  "GET /api/v1/tenants/[slug]/audit/checkpoints": { permission: "audit.read", stepUp: false },
  "POST /api/v1/tenants/[slug]/audit/checkpoints": { permission: "audit.read", stepUp: false },
  "GET /api/v1/tenants/[slug]/audit/public-key": { permission: "audit.read", stepUp: false },
  "GET /api/v1/tenants/[slug]/security-events": { permission: "audit.read", stepUp: false },
  "GET /api/v1/tenants/[slug]/security-events/export": { permission: "audit.read", stepUp: false },
  "GET /api/v1/tenants/[slug]/security-events/summary": { permission: "audit.read", stepUp: false },
  "GET /api/v1/operator/audit": { permission: "platform.audit.read", stepUp: false },
  "GET /api/v1/tenants/[slug]/usage": { permission: "usage.read", stepUp: false },
  "GET /api/v1/tenants/[slug]/usage/export": { permission: "usage.read", stepUp: false },
  "GET /api/v1/tenants/[slug]/keys": { permission: "keys.read", stepUp: false },
  "POST /api/v1/tenants/[slug]/keys": { permission: "keys.write", stepUp: false },
  "GET /api/v1/tenants/[slug]/keys/[id]": { permission: "keys.read", stepUp: false },
  "PATCH /api/v1/tenants/[slug]/keys/[id]": { permission: "keys.write", stepUp: false },
  "POST /api/v1/tenants/[slug]/keys/[id]/revoke": { permission: "keys.write", stepUp: false },
  "POST /api/v1/tenants/[slug]/keys/[id]/rotate": { permission: "keys.write", stepUp: false },
  "GET /api/v1/tenants/[slug]/models": { permission: "models.read", stepUp: false },
  "POST /api/v1/tenants/[slug]/models": { permission: "models.write", stepUp: true },
  "GET /api/v1/tenants/[slug]/models/[id]": { permission: "models.read", stepUp: false },
  "PATCH /api/v1/tenants/[slug]/models/[id]": { permission: "models.write", stepUp: false },
  "DELETE /api/v1/tenants/[slug]/models/[id]": { permission: "models.write", stepUp: true },
  "POST /api/v1/tenants/[slug]/models/[id]/versions": { permission: "models.write", stepUp: true },
  "PATCH /api/v1/tenants/[slug]/models/[id]/versions/[versionId]": { permission: "models.write", stepUp: false },
  "DELETE /api/v1/tenants/[slug]/models/[id]/versions/[versionId]": { permission: "models.write", stepUp: true },
  "PUT /api/v1/tenants/[slug]/models/[id]/split": { permission: "models.write", stepUp: true },
  "DELETE /api/v1/tenants/[slug]/models/[id]/split": { permission: "models.write", stepUp: true },
  "GET /api/v1/operator/models": { permission: "platform.models.grant", stepUp: false },
  "GET /api/v1/operator/models/[id]/grants": { permission: "platform.models.grant", stepUp: false },
  "POST /api/v1/operator/models/[id]/grants": { permission: "platform.models.grant", stepUp: true },
  "DELETE /api/v1/operator/models/[id]/grants/[tenant]": { permission: "platform.models.grant", stepUp: true },
  "GET /api/v1/account/mfa": { permission: "self", stepUp: false },
  "DELETE /api/v1/account/mfa": { permission: "self", stepUp: true },
  "POST /api/v1/account/mfa/enrollment": { permission: "self", stepUp: false },
  "POST /api/v1/account/mfa/enrollment/confirm": { permission: "self", stepUp: false },
  "POST /api/v1/account/mfa/recovery-codes": { permission: "self", stepUp: true },
  "POST /api/v1/account/step-up": { permission: "self", stepUp: false },
  "POST /api/v1/account/password": { permission: "self", stepUp: false },
  "POST /api/v1/account/identities/link": { permission: "self", stepUp: false },
  "DELETE /api/v1/account/identities/[id]": { permission: "self", stepUp: false },
  "POST /api/v1/account/invitations": { permission: "self", stepUp: false },
  "GET /api/v1/account/sessions": { permission: "self", stepUp: false },
  "DELETE /api/v1/account/sessions": { permission: "self", stepUp: false },
  "GET /api/v1/tenants/[slug]/quota": { permission: "usage.read", stepUp: false },
  "GET /api/v1/tenants/[slug]/webhooks": { permission: "tenant.settings.write", stepUp: false },
  "POST /api/v1/tenants/[slug]/webhooks": { permission: "tenant.settings.write", stepUp: true },
  "DELETE /api/v1/tenants/[slug]/webhooks/[id]": { permission: "tenant.settings.write", stepUp: true },
  "POST /api/v1/tenants/[slug]/webhooks/[id]/test": { permission: "tenant.settings.write", stepUp: false },
  "GET /api/v1/tenants/[slug]/webhooks/deliveries": { permission: "tenant.settings.write", stepUp: false },
  "GET /api/v1/operator/tenants": { permission: "platform.tenants.read", stepUp: false },
  "GET /api/v1/operator/tenants/[slug]": { permission: "platform.tenants.read", stepUp: false },
  "PUT /api/v1/operator/tenants/[slug]/quota": { permission: "platform.quotas.write", stepUp: true },
  "DELETE /api/v1/operator/tenants/[slug]/quota": { permission: "platform.quotas.write", stepUp: true },
  "POST /api/v1/operator/tenants/[slug]/status": { permission: "platform.tenants.suspend", stepUp: true },
  "GET /api/v1/tenants/[slug]/gateway-settings": { permission: "tenant.read", stepUp: false },
  "PATCH /api/v1/tenants/[slug]/gateway-settings": { permission: "tenant.settings.write", stepUp: true },
  "GET /api/v1/tenants/[slug]/retention": { permission: "tenant.read", stepUp: false },
  "PATCH /api/v1/tenants/[slug]/retention": { permission: "tenant.settings.write", stepUp: true },
  "POST /api/v1/tenants/[slug]/retention/runs": { permission: "tenant.settings.write", stepUp: false },
  "GET /api/v1/operator/workers": { permission: "platform.workers.read", stepUp: false },
  "GET /api/v1/operator/workers/dead-letters": { permission: "platform.workers.read", stepUp: false },
  "DELETE /api/v1/operator/workers/dead-letters/[queue]/[id]": { permission: "platform.workers.manage", stepUp: false },
  "POST /api/v1/operator/workers/dead-letters/[queue]/[id]/retry": { permission: "platform.workers.manage", stepUp: false },
};

/** Routes anyone may call, on purpose. */
const PUBLIC = new Set(["GET /api/v1/openapi.json"]);

const ROLES: Role[] = ["owner", "admin", "developer", "viewer"];
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
/** What an access check answers; anything else means the request got through to the handler. */
const ACCESS_CODES = new Set(["unauthorized", "forbidden", "step_up_required", "mfa_enrollment_required", "tenant_suspended", "step_up_unavailable"]);

const MODULES = import.meta.glob<Record<string, unknown>>("../app/api/v1/**/route.ts");

function routeFiles(dir = path.join(process.cwd(), "app/api/v1")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === "route.ts" ? [path.join(dir, e.name)] : [],
  );
}

type Endpoint = { key: string; file: string; routePath: string; method: (typeof METHODS)[number]; handler: (r: Request, s: unknown) => Promise<Response>; meta: RouteMeta | undefined };

async function endpoints(): Promise<Endpoint[]> {
  const out: Endpoint[] = [];
  for (const [file, load] of Object.entries(MODULES)) {
    const routePath = file.replace(/^\.\.\/app/, "").replace(/\/route\.ts$/, "");
    const mod = await load();
    for (const method of METHODS) {
      const handler = mod[method];
      if (typeof handler !== "function") continue;
      out.push({ key: `${method} ${routePath}`, file, routePath, method, handler: handler as Endpoint["handler"], meta: routeMetaOf(handler) });
    }
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

function urlOf(e: Endpoint, slug: string): { url: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const url = e.routePath.replace(/\[(\w+)\]/g, (_, name: string) => {
    params[name] = name === "slug" ? slug : "00000000-0000-4000-8000-000000000000";
    return params[name]!;
  });
  return { url, params };
}

async function call(e: Endpoint, slug: string, cookie?: string): Promise<{ status: number; code?: string; message?: string }> {
  const { url, params } = urlOf(e, slug);
  const body = e.method === "GET" || e.method === "DELETE" ? undefined : {};
  const res = await e.handler(apiRequest(url, { method: e.method, cookie, body }), segment(params));
  const json = res.status === 204 ? null : await res.json().catch(() => null);
  return { status: res.status, code: json?.error?.code, message: json?.error?.message };
}

function expectGotThrough(e: Endpoint, who: string, r: { status: number; code?: string; message?: string }) {
  const label = `${e.key} as ${who}: ${r.status} ${r.code ?? ""} ${r.message ?? ""}`;
  expect(r.status, label).toBeLessThan(500);
  expect(ACCESS_CODES.has(r.code ?? ""), label).toBe(false);
  expect(r.message, label).not.toBe("Tenant not found");
}

describe("role × route access matrix", async () => {
  const all = await endpoints();
  const db = getDb();
  let tenant: { id: string; slug: string };
  let suspended: { id: string; slug: string };

  /** A fresh member per check: handlers may change the caller's own state (MFA, sessions). */
  async function member(role: Role | null, opts: { mfa?: boolean; stepUp?: boolean; operator?: boolean; in?: { id: string } } = {}): Promise<string> {
    const user = await createTestUser(`m-${role ?? "none"}`, { mfa: opts.mfa ?? true });
    if (opts.operator) await db.user.update({ where: { id: user }, data: { isOperator: true } });
    const target = opts.in ?? tenant;
    if (role) await withTenant(target.id, (tx) => tx.membership.create({ data: { tenantId: target.id, userId: user, role } }));
    return sessionCookieFor(user, { stepUpAt: opts.stepUp === false ? undefined : new Date() });
  }

  beforeAll(async () => {
    const founder = await createTestUser("founder");
    const actor = { type: "system" as const, id: "matrix" };
    tenant = await createTenant({ name: "Matrix", slug: `matrix-${stamp()}` }, { ownerUserId: founder, actor });
    suspended = await createTenant({ name: "Suspended", slug: `matrix-s-${stamp()}` }, { ownerUserId: founder, actor });
    await db.tenant.update({ where: { id: suspended.id }, data: { status: "suspended", suspendedAt: new Date() } });
  });
  afterAll(async () => {
    await closeSharedRedis();
    await db.$disconnect();
  });

  it("finds every route file under app/api/v1", () => {
    expect(Object.keys(MODULES).length).toBe(routeFiles().length);
    expect(all.length).toBeGreaterThan(10);
  });

  it("every route declares its access (wrapped handler, listed in the table with the same permission and step-up)", () => {
    const problems: string[] = [];
    for (const e of all) {
      if (PUBLIC.has(e.key)) continue;
      const declared = DECLARED[e.key];
      if (!e.meta) problems.push(`${e.key}: not wrapped in withTenantRoute/withUserRoute`);
      else if (!declared) problems.push(`${e.key}: add it to DECLARED (${JSON.stringify(e.meta)})`);
      else {
        const permission = e.meta.auth === "tenant" || e.meta.auth === "operator" ? e.meta.permission : "self";
        if (permission !== declared.permission || e.meta.stepUp !== declared.stepUp) {
          problems.push(`${e.key}: declares ${JSON.stringify(e.meta)}, table says ${JSON.stringify(declared)}`);
        }
      }
    }
    for (const key of Object.keys(DECLARED)) if (!all.some((e) => e.key === key)) problems.push(`${key}: in the table, but no such route`);
    expect(problems).toEqual([]);
  });

  describe.each(all.filter((e) => !PUBLIC.has(e.key)).map((e) => [e.key, e] as const))("%s", (_key, e) => {
    it("answers 401 without a session", async () => {
      const r = await call(e, tenant.slug);
      expect(r.status).toBe(401);
      expect(r.code).toBe("unauthorized");
    });

    if (e.meta?.auth === "tenant") {
      const meta = e.meta;
      it.each(ROLES)("as %s: exactly what the role's permissions allow", async (role) => {
        const r = await call(e, tenant.slug, await member(role));
        if (can(role, meta.permission)) expectGotThrough(e, role, r);
        else expect(r, `${e.key} as ${role}`).toMatchObject({ status: 403, code: "forbidden" });
      });

      it("answers 404 to a non-member and to a platform operator who is not a member", async () => {
        for (const cookie of [await member(null), await member(null, { operator: true })]) {
          expect(await call(e, tenant.slug, cookie)).toMatchObject({ status: 404, code: "not_found", message: "Tenant not found" });
        }
      });

      it("answers 403 tenant_suspended in a suspended tenant", async () => {
        expect(await call(e, suspended.slug, await member("owner", { in: suspended }))).toMatchObject({ status: 403, code: "tenant_suspended" });
      });

      if (meta.stepUp) {
        it("needs MFA enrolled (403) and a fresh step-up (401), even for the owner", async () => {
          expect(await call(e, tenant.slug, await member("owner", { mfa: false }))).toMatchObject({ status: 403, code: "mfa_enrollment_required" });
          expect(await call(e, tenant.slug, await member("owner", { stepUp: false }))).toMatchObject({ status: 401, code: "step_up_required" });
        });
      }
    } else if (e.meta?.auth === "operator") {
      const meta = e.meta;
      it("answers 404 to every non-operator, even a tenant owner", async () => {
        for (const role of [null, ...ROLES]) {
          expect(await call(e, tenant.slug, await member(role)), `${e.key} as ${role ?? "non-member"}`).toMatchObject({ status: 404, code: "not_found" });
        }
      });
      it("lets a platform operator through", async () => {
        expectGotThrough(e, "an operator", await call(e, tenant.slug, await member(null, { operator: true })));
      });
      if (meta.stepUp) {
        it("needs MFA enrolled (403) and a fresh step-up (401), even for an operator", async () => {
          expect(await call(e, tenant.slug, await member(null, { operator: true, mfa: false }))).toMatchObject({ status: 403, code: "mfa_enrollment_required" });
          expect(await call(e, tenant.slug, await member(null, { operator: true, stepUp: false }))).toMatchObject({ status: 401, code: "step_up_required" });
        });
      }
    } else {
      it("lets any signed-in user through", async () => {
        expectGotThrough(e, "a signed-in user", await call(e, tenant.slug, await member(null)));
      });
      if (e.meta?.stepUp) {
        it("needs MFA enrolled (403) and a fresh step-up (401)", async () => {
          expect(await call(e, tenant.slug, await member(null, { mfa: false }))).toMatchObject({ status: 403, code: "mfa_enrollment_required" });
          expect(await call(e, tenant.slug, await member(null, { stepUp: false }))).toMatchObject({ status: 401, code: "step_up_required" });
        });
      }
    }
  });
});
