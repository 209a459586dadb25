import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as modelsRoute from "@/app/api/v1/tenants/[slug]/models/route";
import * as modelRoute from "@/app/api/v1/tenants/[slug]/models/[id]/route";
import * as versionsRoute from "@/app/api/v1/tenants/[slug]/models/[id]/versions/route";
import * as versionRoute from "@/app/api/v1/tenants/[slug]/models/[id]/versions/[versionId]/route";
import * as splitRoute from "@/app/api/v1/tenants/[slug]/models/[id]/split/route";
import * as grantsRoute from "@/app/api/v1/operator/models/[id]/grants/route";
import * as grantRoute from "@/app/api/v1/operator/models/[id]/grants/[tenant]/route";
import { apiRequest, createTestUser, segment, sessionCookieFor, stamp, type TestRequest } from "@/test/management-api";
import { getDb } from "@/lib/db/client";
import { withTenant } from "@/lib/db/tenant-scope";
import { createApiKey } from "@/lib/keys/create-key";
import { loadRoutingTable } from "@/lib/models/model-routing";
import { closeSharedRedis } from "@/lib/redis/shared";
import { createTenant } from "@/lib/tenants/create-tenant";

vi.mock("server-only", () => ({}));

const ECHO = "http://127.0.0.1:9/v1";
const TOKEN = "sk-backend-very-secret-token-123";

describe("models management API", () => {
  let owner: string;
  let outsider: string;
  let operator: string;
  let a: { id: string; slug: string };
  let b: { id: string; slug: string };
  let fresh: string; // owner, MFA verified just now
  let stale: string; // owner, MFA enrolled but not verified in this session
  let outsiderCookie: string;
  let operatorCookie: string;

  const list = (slug: string, init: TestRequest) => modelsRoute.GET(apiRequest("/m", init), segment({ slug }));
  const create = (slug: string, body: unknown, init: TestRequest) => modelsRoute.POST(apiRequest("/m", { method: "POST", body, ...init }), segment({ slug }));
  const getOne = (slug: string, id: string, init: TestRequest) => modelRoute.GET(apiRequest("/m", init), segment({ slug, id }));
  const patch = (slug: string, id: string, body: unknown, init: TestRequest) =>
    modelRoute.PATCH(apiRequest("/m", { method: "PATCH", body, ...init }), segment({ slug, id }));
  const remove = (slug: string, id: string, init: TestRequest) => modelRoute.DELETE(apiRequest("/m", { method: "DELETE", ...init }), segment({ slug, id }));
  const addVersion = (slug: string, id: string, body: unknown, init: TestRequest) =>
    versionsRoute.POST(apiRequest("/m", { method: "POST", body, ...init }), segment({ slug, id }));
  const patchVersion = (slug: string, id: string, versionId: string, body: unknown, init: TestRequest) =>
    versionRoute.PATCH(apiRequest("/m", { method: "PATCH", body, ...init }), segment({ slug, id, versionId }));
  const deleteVersion = (slug: string, id: string, versionId: string, init: TestRequest) =>
    versionRoute.DELETE(apiRequest("/m", { method: "DELETE", ...init }), segment({ slug, id, versionId }));
  const setSplit = (slug: string, id: string, body: unknown, init: TestRequest) =>
    splitRoute.PUT(apiRequest("/m", { method: "PUT", body, ...init }), segment({ slug, id }));
  const clearSplit = (slug: string, id: string, init: TestRequest) => splitRoute.DELETE(apiRequest("/m", { method: "DELETE", ...init }), segment({ slug, id }));

  const countModels = (tenantId: string) => withTenant(tenantId, (tx) => tx.model.count({ where: { tenantId } }));
  const auditOf = (tenantId: string, action: string, targetId: string) =>
    withTenant(tenantId, (tx) => tx.auditLog.findFirstOrThrow({ where: { action, targetId }, orderBy: { createdAt: "desc" } }));

  async function newModel(name: string, extra: Record<string, unknown> = {}) {
    const res = await create(a.slug, { name, protocol: "openai", url: ECHO, ...extra }, { cookie: fresh });
    expect(res.status, JSON.stringify(await res.clone().json())).toBe(201);
    return (await res.json()).data as { id: string; versions: Array<{ id: string; label: string }> };
  }

  beforeAll(async () => {
    owner = await createTestUser("models-owner", { mfa: true });
    outsider = await createTestUser("models-outsider", { mfa: true });
    operator = await createTestUser("models-operator", { mfa: true });
    await getDb().user.update({ where: { id: operator }, data: { isOperator: true } });
    const actor = { type: "system" as const, id: "test" };
    a = await createTenant({ name: "Models A", slug: `models-a-${stamp()}` }, { ownerUserId: owner, actor });
    b = await createTenant({ name: "Models B", slug: `models-b-${stamp()}` }, { ownerUserId: outsider, actor });
    fresh = await sessionCookieFor(owner, { stepUpAt: new Date() });
    stale = await sessionCookieFor(owner);
    outsiderCookie = await sessionCookieFor(outsider, { stepUpAt: new Date() });
    operatorCookie = await sessionCookieFor(operator, { stepUpAt: new Date() });
  });

  afterAll(async () => {
    await closeSharedRedis();
    await getDb().$disconnect();
  });

  it("registers a model: 201, its first version as the default, the credential sealed and never returned, audited", async () => {
    const res = await create(
      a.slug,
      { name: "chat", protocol: "openai", url: ECHO, description: "Support bot", credential: { kind: "bearer", token: TOKEN }, timeoutMs: 5000 },
      { cookie: fresh },
    );
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).not.toContain(TOKEN);
    const { data } = JSON.parse(text);
    expect(data).toMatchObject({
      name: "chat",
      protocol: "openai",
      access: "owner",
      visibility: "private",
      defaultVersion: "v1",
      split: null,
      versions: [{ label: "v1", url: ECHO, credential: { kind: "bearer", header: null }, timeoutMs: 5000, trafficPercent: 100 }],
    });
    const row = await withTenant(a.id, (tx) => tx.modelVersion.findFirstOrThrow({ where: { modelId: data.id }, select: { credentialSecret: true } }));
    expect(Buffer.from(row.credentialSecret!).toString("latin1")).not.toContain(TOKEN);
    const audit = await auditOf(a.id, "model.create", data.id);
    expect(audit).toMatchObject({ actorType: "user", actorId: owner });
    expect(JSON.stringify(audit.metadata)).not.toContain(TOKEN);
    expect(audit.metadata).toMatchObject({ after: { name: "chat", version: { url: ECHO, backendAuth: "set" } } });
    // The gateway's view: the credential opens, in memory.
    const routes = await loadRoutingTable(a.id, getDb());
    expect(routes.find((m) => m.name === "chat")!.primary.credential).toEqual({ name: "authorization", value: `Bearer ${TOKEN}` });
    // Neither the list nor a read repeats it.
    expect(await (await list(a.slug, { cookie: fresh })).text()).not.toContain(TOKEN);
    expect(await (await getOne(a.slug, data.id, { cookie: fresh })).text()).not.toContain(TOKEN);
  });

  it("refuses bad input with a field-level 4xx and changes nothing", async () => {
    await newModel("taken");
    const before = await countModels(a.id);
    const cases: Array<[unknown, number, string, string]> = [
      [{ name: "x1", protocol: "grpc", url: ECHO }, 400, "validation_failed", "protocol"],
      [{ name: "x2", protocol: "openai", url: "not a url" }, 400, "invalid_backend_url", "url"],
      [{ name: "x3", protocol: "openai", url: "ftp://127.0.0.1/model" }, 400, "invalid_backend_url", "url"],
      [{ name: "x4", protocol: "openai", url: "http://169.254.169.254/latest/meta-data" }, 422, "backend_url_forbidden", "url"],
      [{ name: "x5", protocol: "openai", url: "http://[fd00:ec2::254]/" }, 422, "backend_url_forbidden", "url"],
      [{ name: "x6", protocol: "openai", url: "http://10.1.2.3/v1" }, 422, "backend_url_forbidden", "url"],
      [{ name: "taken", protocol: "openai", url: ECHO }, 409, "conflict", "name"],
      [{ name: "x7", protocol: "openai", url: ECHO, credential: { kind: "header", header: "Host", value: "x" } }, 400, "validation_failed", "credential.header"],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await create(a.slug, body, { cookie: fresh });
      const json = await res.json();
      expect({ status: res.status, code: json.error.code }, JSON.stringify(body)).toEqual({ status, code });
      expect(Object.keys(json.error.fields ?? {}), JSON.stringify(body)).toContain(field);
    }
    expect(await countModels(a.id)).toBe(before);
  });

  it("asks for MFA step-up for backend URL, credential, protocol, visibility, split and deletion — not for the name or enabled", async () => {
    const model = await newModel("guarded");
    const v1 = model.versions[0]!.id;
    const refused = [
      await create(a.slug, { name: "y", protocol: "openai", url: ECHO }, { cookie: stale }),
      await patchVersion(a.slug, model.id, v1, { url: "http://127.0.0.1:10/v1" }, { cookie: stale }),
      await patchVersion(a.slug, model.id, v1, { credential: { kind: "bearer", token: "t" } }, { cookie: stale }),
      await patch(a.slug, model.id, { protocol: "kserve-v2" }, { cookie: stale }),
      await patch(a.slug, model.id, { visibility: "shared" }, { cookie: stale }),
      await addVersion(a.slug, model.id, { label: "v2", url: ECHO }, { cookie: stale }),
      await setSplit(a.slug, model.id, { versions: [{ version: "v1", percent: 50 }, { version: "v2", percent: 50 }] }, { cookie: stale }),
      await clearSplit(a.slug, model.id, { cookie: stale }),
      await remove(a.slug, model.id, { cookie: stale }),
    ];
    for (const res of refused) expect(await res.json()).toMatchObject({ error: { code: "step_up_required" } });
    expect(refused.every((r) => r.status === 401)).toBe(true);

    const ok = await patch(a.slug, model.id, { name: "guarded-2", enabled: false, description: "off for now" }, { cookie: stale });
    expect(ok.status).toBe(200);
    expect((await ok.json()).data).toMatchObject({ name: "guarded-2", enabled: false, versions: [{ url: ECHO }] });
    const audit = await auditOf(a.id, "model.update", model.id);
    expect(audit.metadata).toEqual({
      before: { name: "guarded", enabled: true, description: "" },
      after: { name: "guarded-2", enabled: false, description: "off for now" },
    });
  });

  it("changes a version's URL and credential with before/after in the audit, secrets only as set / not set", async () => {
    const model = await newModel("audited");
    const v1 = model.versions[0]!.id;
    const res = await patchVersion(a.slug, model.id, v1, { url: "http://127.0.0.1:11/v2", credential: { kind: "header", header: "X-Backend-Key", value: TOKEN } }, { cookie: fresh });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(TOKEN);
    expect(JSON.parse(text).data.versions[0]).toMatchObject({ url: "http://127.0.0.1:11/v2", credential: { kind: "header", header: "x-backend-key" } });
    const audit = await auditOf(a.id, "model.version_update", model.id);
    expect(audit.metadata).toMatchObject({
      version: "v1",
      before: { url: ECHO, backendAuth: "not set", backendAuthKind: null },
      after: { url: "http://127.0.0.1:11/v2", backendAuth: "set", backendAuthKind: "header x-backend-key" },
    });
    expect(JSON.stringify(audit.metadata)).not.toContain(TOKEN);

    // Replacing the secret reads "set" before and after: the entry says it was replaced.
    await patchVersion(a.slug, model.id, v1, { credential: { kind: "header", header: "X-Backend-Key", value: "another" } }, { cookie: fresh });
    expect((await auditOf(a.id, "model.version_update", model.id)).metadata).toMatchObject({ backendAuthReplaced: true });
    // Removing it.
    const cleared = await (await patchVersion(a.slug, model.id, v1, { credential: null }, { cookie: fresh })).json();
    expect(cleared.data.versions[0].credential).toBeNull();
    expect((await loadRoutingTable(a.id, getDb())).find((m) => m.name === "audited")!.primary.credential).toBeNull();
  });

  it("sets a canary split, refuses bad splits and deleting versions that serve traffic, rolls back", async () => {
    const model = await newModel("canary");
    expect((await addVersion(a.slug, model.id, { label: "v2", url: "http://127.0.0.1:12/v1" }, { cookie: fresh })).status).toBe(201);
    expect((await addVersion(a.slug, model.id, { label: "v3", url: "http://127.0.0.1:13/v1" }, { cookie: fresh })).status).toBe(201);
    expect((await addVersion(a.slug, model.id, { label: "v2", url: ECHO }, { cookie: fresh })).status).toBe(409);

    const bad: unknown[] = [
      { versions: [{ version: "v1", percent: 90 }, { version: "v2", percent: 20 }] },
      { versions: [{ version: "v1", percent: 90 }, { version: "nope", percent: 10 }] },
      { versions: [{ version: "v2", percent: 50 }, { version: "v3", percent: 50 }] },
      { versions: [{ version: "v1", percent: 100 }] },
    ];
    for (const body of bad) {
      const res = await setSplit(a.slug, model.id, body, { cookie: fresh });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys((await res.json()).error.fields)).toContain("versions");
    }
    const set = await setSplit(a.slug, model.id, { versions: [{ version: "v2", percent: 10 }, { version: "v1", percent: 90 }] }, { cookie: fresh });
    expect(set.status).toBe(200);
    const { data } = await set.json();
    expect(data.split).toEqual({ versions: [{ version: "v1", percent: 90 }, { version: "v2", percent: 10 }] });
    expect(data.versions.map((v: { label: string; trafficPercent: number }) => [v.label, v.trafficPercent])).toEqual([["v1", 90], ["v2", 10], ["v3", 0]]);
    expect((await auditOf(a.id, "model.split_set", model.id)).metadata).toMatchObject({ before: { split: null }, after: { split: "v1:90,v2:10" } });

    const id = (label: string) => data.versions.find((v: { label: string }) => v.label === label).id as string;
    for (const label of ["v1", "v2"]) {
      const res = await deleteVersion(a.slug, model.id, id(label), { cookie: fresh });
      expect(res.status).toBe(409);
      expect(Object.keys((await res.json()).error.fields)).toEqual(["version"]);
    }
    expect((await deleteVersion(a.slug, model.id, id("v3"), { cookie: fresh })).status).toBe(200);

    const rolledBack = await (await clearSplit(a.slug, model.id, { cookie: fresh })).json();
    expect(rolledBack.data.split).toBeNull();
    expect((await auditOf(a.id, "model.split_clear", model.id)).metadata).toMatchObject({ before: { split: "v1:90,v2:10" }, after: { split: null } });

    // Promotion: the canary becomes the default, which ends the split.
    await setSplit(a.slug, model.id, { versions: [{ version: "v1", percent: 50 }, { version: "v2", percent: 50 }] }, { cookie: fresh });
    const promoted = await (await patch(a.slug, model.id, { defaultVersion: "v2" }, { cookie: fresh })).json();
    expect(promoted.data).toMatchObject({ defaultVersion: "v2", split: null });
    expect((await patch(a.slug, model.id, { defaultVersion: "v9" }, { cookie: fresh })).status).toBe(400);
  });

  it("answers 404 for another tenant's model (read, change, delete) and for malformed ids", async () => {
    const model = await newModel("mine");
    const v1 = model.versions[0]!.id;
    for (const res of [
      await getOne(b.slug, model.id, { cookie: outsiderCookie }),
      await patch(b.slug, model.id, { enabled: false }, { cookie: outsiderCookie }),
      await remove(b.slug, model.id, { cookie: outsiderCookie }),
      await patchVersion(b.slug, model.id, v1, { timeoutMs: 1000 }, { cookie: outsiderCookie }),
      await deleteVersion(b.slug, model.id, v1, { cookie: outsiderCookie }),
      await setSplit(b.slug, model.id, { versions: [{ version: "v1", percent: 50 }, { version: "v2", percent: 50 }] }, { cookie: outsiderCookie }),
      await getOne(a.slug, "not-a-uuid", { cookie: fresh }),
      // Another tenant's slug with my session: not a member, 404 as well.
      await getOne(b.slug, model.id, { cookie: fresh }),
    ]) {
      expect(res.status).toBe(404);
    }
    expect((await (await getOne(a.slug, model.id, { cookie: fresh })).json()).data).toMatchObject({ name: "mine", enabled: true });
  });

  it("API keys: models:read lists; sensitive edits are refused with step_up_unavailable", async () => {
    const model = await newModel("keyed");
    const { secret: reader } = await createApiKey(a.id, { name: "r", scopes: ["models:read"] }, { actor: { type: "system", id: "test" } });
    const { secret: writer } = await createApiKey(a.id, { name: "w", scopes: ["models:write"] }, { actor: { type: "system", id: "test" } });
    expect((await list(a.slug, { bearer: reader })).status).toBe(200);
    expect((await patch(a.slug, model.id, { enabled: false }, { bearer: reader })).status).toBe(403);
    const url = await patchVersion(a.slug, model.id, model.versions[0]!.id, { url: "http://127.0.0.1:14/v1" }, { bearer: writer });
    expect(url.status).toBe(403);
    expect((await url.json()).error.code).toBe("step_up_unavailable");
    expect((await patch(a.slug, model.id, { description: "by automation" }, { bearer: writer })).status).toBe(200);
  });

  it("shared models: the operator grants, the grantee sees them read-only, revoking removes them; private ones never show", async () => {
    const model = await newModel("shared-llm", { credential: { kind: "bearer", token: TOKEN } });
    const grant = (cookie: string) =>
      grantsRoute.POST(apiRequest("/g", { method: "POST", body: { tenant: b.slug }, cookie }), segment({ id: model.id }));
    // Private: the grant is refused until the owner publishes it (a step-up edit).
    expect((await grant(operatorCookie)).status).toBe(409);
    expect((await patch(a.slug, model.id, { visibility: "shared" }, { cookie: fresh })).status).toBe(200);
    // Only operators (404 to anyone else, as if the route did not exist).
    expect((await grant(fresh)).status).toBe(404);
    const granted = await grant(operatorCookie);
    expect(granted.status).toBe(201);
    expect((await granted.json()).data).toMatchObject({ modelId: model.id, tenant: { slug: b.slug } });
    expect((await grant(operatorCookie)).status).toBe(201); // idempotent

    const seen = await (await list(b.slug, { cookie: outsiderCookie })).text();
    expect(seen).not.toContain(TOKEN);
    expect(seen).not.toContain(ECHO);
    const entry = JSON.parse(seen).data.find((m: { id: string }) => m.id === model.id);
    expect(entry).toMatchObject({ name: "shared-llm", access: "granted", sharedBy: { slug: a.slug }, versions: [], defaultVersion: null });
    expect((await getOne(b.slug, model.id, { cookie: outsiderCookie })).status).toBe(200);
    const edit = await patch(b.slug, model.id, { enabled: false }, { cookie: outsiderCookie });
    expect(edit.status).toBe(403);
    expect((await remove(b.slug, model.id, { cookie: outsiderCookie })).status).toBe(403);
    // The grantee's routing table has the owner's backend and credential.
    const routes = await loadRoutingTable(b.id, getDb());
    expect(routes.find((m) => m.name === "shared-llm")).toMatchObject({ ownerTenantId: a.id, primary: { backendUrl: ECHO, credential: { value: `Bearer ${TOKEN}` } } });
    expect((await auditOf(b.id, "model.grant", model.id)).actorType).toBe("operator");

    // Back to private: the grant stays but gives nothing.
    await patch(a.slug, model.id, { visibility: "private" }, { cookie: fresh });
    expect((await getOne(b.slug, model.id, { cookie: outsiderCookie })).status).toBe(404);
    expect((await loadRoutingTable(b.id, getDb())).some((m) => m.name === "shared-llm")).toBe(false);
    await patch(a.slug, model.id, { visibility: "shared" }, { cookie: fresh });
    expect((await getOne(b.slug, model.id, { cookie: outsiderCookie })).status).toBe(200);

    const revoked = await grantRoute.DELETE(apiRequest("/g", { method: "DELETE", cookie: operatorCookie }), segment({ id: model.id, tenant: b.slug }));
    expect(revoked.status).toBe(204);
    expect((await getOne(b.slug, model.id, { cookie: outsiderCookie })).status).toBe(404);
    expect((await list(b.slug, { cookie: outsiderCookie })).status).toBe(200);
    expect((await auditOf(b.id, "model.grant_revoke", model.id)).actorType).toBe("operator");
  });

  it("refuses to grant a model to a tenant that has its own model of that name (409)", async () => {
    const model = await newModel("clash", { visibility: "shared" });
    expect((await create(b.slug, { name: "clash", protocol: "openai", url: ECHO }, { cookie: outsiderCookie })).status).toBe(201);
    const res = await grantsRoute.POST(apiRequest("/g", { method: "POST", body: { tenant: b.slug }, cookie: operatorCookie }), segment({ id: model.id }));
    expect(res.status).toBe(409);
    expect(Object.keys((await res.json()).error.fields)).toEqual(["tenant"]);
    expect(await withTenant(b.id, (tx) => tx.modelGrant.count({ where: { modelId: model.id } }))).toBe(0);
  });

  it("deletes a model with its versions and grants (step-up), audited with what it was", async () => {
    const model = await newModel("doomed", { visibility: "shared" });
    await grantsRoute.POST(apiRequest("/g", { method: "POST", body: { tenant: b.slug }, cookie: operatorCookie }), segment({ id: model.id }));
    const res = await remove(a.slug, model.id, { cookie: fresh });
    expect(res.status).toBe(204);
    expect((await getOne(a.slug, model.id, { cookie: fresh })).status).toBe(404);
    expect(await withTenant(b.id, (tx) => tx.modelGrant.count({ where: { modelId: model.id } }))).toBe(0);
    expect((await auditOf(a.id, "model.delete", model.id)).metadata).toMatchObject({ before: { name: "doomed", versions: [{ label: "v1" }] }, grantsRemoved: 1 });
  });
});
