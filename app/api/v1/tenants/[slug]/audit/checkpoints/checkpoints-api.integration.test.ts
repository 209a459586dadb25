import { createPublicKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as auditRoute from "@/app/api/v1/tenants/[slug]/audit/route";
import * as checkpointsRoute from "@/app/api/v1/tenants/[slug]/audit/checkpoints/route";
import * as publicKeyRoute from "@/app/api/v1/tenants/[slug]/audit/public-key/route";
import { recordAudit } from "@/lib/audit/record-audit";
import { checkpointSignatureValid } from "@/lib/audit/signing-key";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import type { Role } from "@/lib/db/generated/enums";
import { withTenant } from "@/lib/db/tenant-scope";
import { closeSharedRedis } from "@/lib/redis/shared";
import { createTenant } from "@/lib/tenants/create-tenant";
import { apiRequest, createTestUser, segment, sessionCookieFor, stamp } from "@/test/management-api";

vi.mock("server-only", () => ({}));

/** POST /api/v1/tenants/{slug}/audit/checkpoints: "Sign checkpoint now". */
describe("signing an audit checkpoint on demand", () => {
  let a: { id: string; slug: string };
  let b: { id: string; slug: string };
  const cookies = {} as Record<Role, string>;
  let ownerId: string;

  const sign = async (slug: string, cookie: string) => {
    const res = await checkpointsRoute.POST(apiRequest("/x", { method: "POST", cookie }), segment({ slug }));
    return { status: res.status, body: await res.json() };
  };
  const get = async (route: { GET: (r: never, s: never) => Promise<Response> }, slug: string, query = "", cookie = cookies.owner) =>
    (await route.GET(apiRequest(`/x${query}`, { cookie }) as never, segment({ slug }) as never)).json();
  const checkpointsOf = (tenantId: string) => withTenant(tenantId, (tx) => tx.auditCheckpoint.findMany({ where: { tenantId }, orderBy: { seq: "asc" } }));
  const headOf = async (tenantId: string) =>
    (await withTenant(tenantId, (tx) => tx.auditLog.findFirstOrThrow({ where: { tenantId }, orderBy: { seq: "desc" } }))).seq;
  const change = (tenantId: string) =>
    withTenant(tenantId, (tx) => recordAudit(tx, tenantId, { action: "key.update", actor: { type: "user", id: ownerId }, target: { type: "api_key", id: "k1" } }));

  beforeAll(async () => {
    ownerId = await createTestUser("cp-owner");
    const actor = { type: "system" as const, id: "test" };
    a = await createTenant({ name: "Checkpoint A", slug: `cp-api-a-${stamp()}` }, { ownerUserId: ownerId, actor });
    b = await createTenant({ name: "Checkpoint B", slug: `cp-api-b-${stamp()}` }, { ownerUserId: await createTestUser("cp-other"), actor });
    cookies.owner = await sessionCookieFor(ownerId);
    for (const role of ["admin", "developer", "viewer"] as const) {
      const user = await createTestUser(`cp-${role}`);
      await withTenant(a.id, (tx) => tx.membership.create({ data: { tenantId: a.id, userId: user, role } }));
      cookies[role] = await sessionCookieFor(user);
    }
    await change(a.id);
  });
  afterAll(() => closeSharedRedis());

  it("signs the head, recorded as audit.checkpoint_create, which the checkpoint covers; the signature verifies under the public key", async () => {
    const before = await headOf(a.id);
    const r = await sign(a.slug, cookies.owner);
    expect(r.status).toBe(201);
    expect(r.body.data).toMatchObject({ tenantId: a.id, seq: Number(before) + 1, created: true });

    // The request is the entry it signed: the newest entry, by the owner.
    const [entry] = (await get(auditRoute, a.slug, "?limit=1")).data.entries;
    expect(entry).toMatchObject({
      seq: r.body.data.seq,
      action: "audit.checkpoint_create",
      actor: { type: "user", id: ownerId },
      target: { type: "audit_checkpoint", id: String(r.body.data.seq) },
      details: { after: { seq: r.body.data.seq, keyId: r.body.data.keyId } },
    });
    expect(r.body.data.entryHash).toBe(entry.entryHash);

    const key = (await get(publicKeyRoute, a.slug)).data;
    expect(r.body.data.keyId).toBe(key.keyId);
    const cp = r.body.data;
    expect(checkpointSignatureValid({ ...cp, signedAt: new Date(cp.signedAt) }, cp.signature, createPublicKey(key.publicKeyPem))).toBe(true);
    expect(await verifyAuditChain(a.id)).toMatchObject({ status: "valid", checkpoints: { latestSeq: cp.seq } });
  });

  it("asked again without a change, answers the same checkpoint (200) and writes nothing", async () => {
    const head = await headOf(a.id);
    const count = (await checkpointsOf(a.id)).length;
    for (let i = 0; i < 3; i++) {
      const r = await sign(a.slug, cookies.admin);
      expect(r.status).toBe(200);
      expect(r.body.data).toMatchObject({ seq: Number(head), created: false });
    }
    expect(await headOf(a.id)).toBe(head);
    expect(await checkpointsOf(a.id)).toHaveLength(count);
  });

  it("signs again once the trail has grown (as an admin too)", async () => {
    await change(a.id);
    const head = await headOf(a.id);
    const r = await sign(a.slug, cookies.admin);
    expect(r.status).toBe(201);
    expect(r.body.data).toMatchObject({ seq: Number(head) + 1, created: true });
    expect((await checkpointsOf(a.id)).map((c) => Number(c.seq)).at(-1)).toBe(Number(head) + 1);
  });

  it("is refused to developers and viewers (403), and is 404 in another tenant, where nothing is signed", async () => {
    const count = (await checkpointsOf(a.id)).length;
    await change(a.id);
    for (const role of ["developer", "viewer"] as const) {
      expect(await sign(a.slug, cookies[role])).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    }
    expect(await checkpointsOf(a.id)).toHaveLength(count);

    const bHead = await headOf(b.id);
    expect(await sign(b.slug, cookies.owner)).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await checkpointsOf(b.id)).toEqual([]);
    expect(await headOf(b.id)).toBe(bHead);
  });
});
