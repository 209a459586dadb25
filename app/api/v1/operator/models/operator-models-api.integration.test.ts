import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as grantRoute from "@/app/api/v1/operator/models/[id]/grants/[tenant]/route";
import * as grantsRoute from "@/app/api/v1/operator/models/[id]/grants/route";
import * as modelsRoute from "@/app/api/v1/operator/models/route";
import { apiRequest, createTestUser, segment, sessionCookieFor, stamp } from "@/test/management-api";
import { getDb } from "@/lib/db/client";
import { createModel } from "@/lib/models/create-model";
import { createVersion } from "@/lib/models/model-versions";
import type { SharedModel } from "@/lib/models/shared-models";
import { setTrafficSplit } from "@/lib/models/traffic-split";
import { updateModel } from "@/lib/models/update-model";
import { closeSharedRedis } from "@/lib/redis/shared";
import { createTenant } from "@/lib/tenants/create-tenant";

vi.mock("server-only", () => ({}));

const BACKEND = "http://127.0.0.1:9/v1";
const TOKEN = "sk-operator-list-secret-token-42";

describe("operator API: shared models (GET /api/v1/operator/models)", () => {
  const db = getDb();
  const system = { actor: { type: "system" as const, id: "test" } };
  let operator: string;
  let ownerCookie: string;
  let owner: { id: string; slug: string };
  let grantee: { id: string; slug: string };
  let shared: { id: string; name: string };
  let privateModel: { id: string; name: string };

  const list = async (cookie: string) => {
    const res = await modelsRoute.GET(apiRequest("/api/v1/operator/models", { cookie }), segment({}));
    return { status: res.status, text: await res.text() };
  };
  const rowOf = async (id: string) => ((JSON.parse((await list(operator)).text) as { data: SharedModel[] }).data).find((m) => m.id === id);

  beforeAll(async () => {
    const opUser = await createTestUser("op-models", { mfa: true });
    await db.user.update({ where: { id: opUser }, data: { isOperator: true } });
    operator = await sessionCookieFor(opUser, { stepUpAt: new Date() });
    const ownerUser = await createTestUser("op-models-owner", { mfa: true });
    ownerCookie = await sessionCookieFor(ownerUser, { stepUpAt: new Date() });
    owner = await createTenant({ name: "Shared Owner", slug: `op-own-${stamp()}` }, { ownerUserId: ownerUser, actor: system.actor });
    grantee = await createTenant({ name: "Shared Grantee", slug: `op-gra-${stamp()}` }, { ownerUserId: ownerUser, actor: system.actor });
    shared = await createModel(owner.id, { name: `ranker-${stamp()}`, protocol: "kserve-v2", url: "http://127.0.0.1:9", visibility: "shared", credential: { kind: "bearer", token: TOKEN } }, system, db);
    await createVersion(owner.id, shared.id, { label: "v2", url: "http://127.0.0.1:9" }, system, db);
    await setTrafficSplit(owner.id, shared.id, { versions: [{ version: "v1", percent: 80 }, { version: "v2", percent: 20 }] }, system, db);
    privateModel = await createModel(owner.id, { name: `private-${stamp()}`, protocol: "openai", url: BACKEND }, system, db);
  });
  afterAll(async () => {
    await closeSharedRedis();
    await db.$disconnect();
  });

  it("lists a shared model with its owner, protocol, versions and split, without backend URLs or credentials, as an audited operator read", async () => {
    const before = await db.platformAuditLog.count({ where: { action: "operator.read", targetType: "models" } });
    const res = await list(operator);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(TOKEN);
    expect(res.text).not.toContain("127.0.0.1:9");
    const rows = (JSON.parse(res.text) as { data: SharedModel[] }).data;
    expect(rows.find((m) => m.id === privateModel.id)).toBeUndefined();
    expect(rows.find((m) => m.id === shared.id)).toEqual({
      id: shared.id,
      name: shared.name,
      protocol: "kserve-v2",
      description: "",
      enabled: true,
      visibility: "shared",
      owner: { id: owner.id, name: "Shared Owner", slug: owner.slug },
      defaultVersion: "v1",
      split: { versions: [{ version: "v1", percent: 80 }, { version: "v2", percent: 20 }] },
      versions: [{ label: "v1", trafficPercent: 80 }, { label: "v2", trafficPercent: 20 }],
      grants: [],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await db.platformAuditLog.count({ where: { action: "operator.read", targetType: "models" } })).toBe(before + 1);
  });

  it("shows a grant once made and drops it once revoked (both audited), and keeps a model that went private while it has grants", async () => {
    const granted = await grantsRoute.POST(apiRequest("/g", { method: "POST", cookie: operator, body: { tenant: grantee.slug } }), segment({ id: shared.id }));
    expect(granted.status).toBe(201);
    expect((await rowOf(shared.id))!.grants).toEqual([
      { id: expect.any(String), modelId: shared.id, tenant: { id: grantee.id, name: "Shared Grantee", slug: grantee.slug }, createdAt: expect.any(String) },
    ]);
    expect(await db.platformAuditLog.count({ where: { action: "model.grant", targetId: shared.id } })).toBe(1);

    // The owner takes it back: the grant stays (it gives nothing) and the operator still sees it, to revoke it.
    await updateModel(owner.id, shared.id, { visibility: "private" }, system, db);
    expect(await rowOf(shared.id)).toMatchObject({ visibility: "private", grants: [{ tenant: { slug: grantee.slug } }] });

    const revoked = await grantRoute.DELETE(apiRequest("/g", { method: "DELETE", cookie: operator }), segment({ id: shared.id, tenant: grantee.slug }));
    expect(revoked.status).toBe(204);
    expect(await rowOf(shared.id)).toBeUndefined(); // private and no grants left: not a shared model any more
    expect(await db.platformAuditLog.count({ where: { action: "model.grant_revoke", targetId: shared.id } })).toBe(1);
    await updateModel(owner.id, shared.id, { visibility: "shared" }, system, db);
    expect((await rowOf(shared.id))!.grants).toEqual([]);
  });

  it("is a 404 for anyone who is not an operator, even the model's owner", async () => {
    const res = await list(ownerCookie);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toMatchObject({ error: { code: "not_found" } });
  });
});
