import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as listRoute from "@/app/api/v1/tenants/[slug]/webhooks/route";
import * as oneRoute from "@/app/api/v1/tenants/[slug]/webhooks/[id]/route";
import * as testRoute from "@/app/api/v1/tenants/[slug]/webhooks/[id]/test/route";
import * as deliveriesRoute from "@/app/api/v1/tenants/[slug]/webhooks/deliveries/route";
import * as quotaRoute from "@/app/api/v1/tenants/[slug]/quota/route";
import { apiRequest, createTestUser, segment, sessionCookieFor, stamp } from "@/test/management-api";
import { getDb } from "@/lib/db/client";
import { withTenant } from "@/lib/db/tenant-scope";
import { closeSharedRedis } from "@/lib/redis/shared";
import { createTenant } from "@/lib/tenants/create-tenant";

vi.mock("server-only", () => ({}));

type Json = { data?: Record<string, unknown> & Record<string, unknown>[]; error?: { code: string } };

describe("webhook endpoints API", () => {
  const db = getDb();
  let owner: string;
  let viewer: string;
  let a: { id: string; slug: string };
  let b: { id: string; slug: string };
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => (received.push({ headers: req.headers, body }), res.writeHead(200).end()));
  });
  let url: string;

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`;
    const ownerId = await createTestUser("wh-owner", { mfa: true });
    const viewerId = await createTestUser("wh-viewer", { mfa: true });
    a = await createTenant({ name: "Hooks A", slug: `wha-${stamp()}` }, { ownerUserId: ownerId, actor: { type: "system", id: "t" } });
    b = await createTenant({ name: "Hooks B", slug: `whb-${stamp()}` }, { ownerUserId: ownerId, actor: { type: "system", id: "t" } });
    await withTenant(a.id, (tx) => tx.membership.create({ data: { tenantId: a.id, userId: viewerId, role: "viewer" } }));
    owner = await sessionCookieFor(ownerId, { stepUpAt: new Date() });
    viewer = await sessionCookieFor(viewerId, { stepUpAt: new Date() });
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await closeSharedRedis();
    await db.$disconnect();
  });

  it("add (secret once, no-store) → list (no secret) → test (signed, logged) → delete; another tenant's id is a 404", async () => {
    const created = await listRoute.POST(apiRequest("/w", { method: "POST", cookie: owner, body: { url, eventTypes: ["quota.reached"] } }), segment({ slug: a.slug }));
    expect(created.status).toBe(201);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const endpoint = ((await created.json()) as Json).data as unknown as { id: string; secret: string; url: string; createdAt: string };
    expect(endpoint).toMatchObject({ url, eventTypes: ["quota.reached"], secret: expect.stringMatching(/^whsec_/), createdAt: expect.any(String) });

    const listed = await listRoute.GET(apiRequest("/w", { cookie: owner }), segment({ slug: a.slug }));
    const text = await listed.text();
    expect(text).toContain(endpoint.id);
    expect(text).not.toContain(endpoint.secret.slice(10));

    const tested = await testRoute.POST(apiRequest("/t", { method: "POST", cookie: owner }), segment({ slug: a.slug, id: endpoint.id }));
    expect(((await tested.json()) as Json).data).toMatchObject({ status: "succeeded", lastStatusCode: 200, eventType: "webhook.test" });
    expect(new Webhook(endpoint.secret).verify(received.at(-1)!.body, received.at(-1)!.headers as Record<string, string>)).toMatchObject({ type: "webhook.test" });

    const log = ((await (await deliveriesRoute.GET(apiRequest("/d", { cookie: owner }), segment({ slug: a.slug }))).json()) as Json).data!;
    expect(log[0]).toMatchObject({ endpointId: endpoint.id, status: "succeeded", attempts: 1 });

    const foreign = await oneRoute.DELETE(apiRequest("/x", { method: "DELETE", cookie: owner }), segment({ slug: b.slug, id: endpoint.id }));
    expect(foreign.status).toBe(404);
    const gone = await oneRoute.DELETE(apiRequest("/x", { method: "DELETE", cookie: owner }), segment({ slug: a.slug, id: endpoint.id }));
    expect(gone.status).toBe(204);
    expect(((await (await listRoute.GET(apiRequest("/w", { cookie: owner }), segment({ slug: a.slug }))).json()) as Json).data).toEqual([]);
  });

  it("a viewer cannot see or change webhooks but reads the quota", async () => {
    expect((await listRoute.GET(apiRequest("/w", { cookie: viewer }), segment({ slug: a.slug }))).status).toBe(403);
    expect((await listRoute.POST(apiRequest("/w", { method: "POST", cookie: viewer, body: { url } }), segment({ slug: a.slug }))).status).toBe(403);
    const quota = await quotaRoute.GET(apiRequest("/q", { cookie: viewer }), segment({ slug: a.slug }));
    expect(((await quota.json()) as Json).data).toMatchObject({ quota: null, current: null, history: [], timeZone: "UTC" });
  });
});
