import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Redis } from "ioredis";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb } from "../../test/db-helpers";
import { createLogger } from "../../lib/log/logger";
import { createRedis } from "../../lib/redis/connection";
import { closeSharedRedis } from "../../lib/redis/shared";
import { withTenant } from "../../lib/db/tenant-scope";
import { createQueueClient } from "../../lib/queue/enqueue";
import { createTenant } from "../../lib/tenants/create-tenant";
import { notifyQuotaReached } from "../../lib/quotas/close-period";
import { processWebhookDelivery } from "./webhook-deliver";
import { startWorkers, type RunningWorkers } from "../start-workers";
import { recordWebhookEvent } from "../../lib/webhooks/emit-event";
import { createWebhookEndpoint, deleteWebhookEndpoint, listWebhookEndpoints } from "../../lib/webhooks/endpoints";
import { listWebhookDeliveries } from "../../lib/webhooks/list-deliveries";
import { testWebhookEndpoint } from "../../lib/webhooks/test-endpoint";

type Received = { headers: http.IncomingHttpHeaders; body: string };

/** A receiver that answers with the statuses given, in turn (then 200). */
async function receiver(statuses: number[] = []) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(statuses.shift() ?? 200).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, close: () => new Promise((r) => server.close(r)) };
}

const SYSTEM = { actor: { type: "system" as const, id: "webhook-test" } };

describe("webhooks", { timeout: 30_000 }, () => {
  const db = appDb(4);
  let tenantId: string;
  let other: string;

  beforeAll(async () => {
    tenantId = (await createTenant({ name: "Hooks", slug: `hooks-${Date.now().toString(36)}` }, { ownerUserId: null, actor: SYSTEM.actor }, db)).id;
    other = (await createTenant({ name: "Other", slug: `hooks-o-${Date.now().toString(36)}` }, { ownerUserId: null, actor: SYSTEM.actor }, db)).id;
  });
  afterAll(async () => {
    await db.$disconnect();
    await closeSharedRedis();
  });

  it("creates an endpoint with a whsec_ secret shown once; only a prefix is stored readable; audited; another tenant cannot delete it", async () => {
    const r = await receiver();
    const { endpoint, secret } = await createWebhookEndpoint(tenantId, { url: r.url, description: "ops" }, SYSTEM, db);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint).toMatchObject({ url: r.url, description: "ops", eventTypes: [], secretPrefix: `${secret.slice(0, 10)}…`, enabled: true });
    expect(JSON.stringify(await listWebhookEndpoints(tenantId, db))).not.toContain(secret.slice(10));
    const row = await withTenant(tenantId, (tx) => tx.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } }), db);
    expect(Buffer.from(row.secretCiphertext).toString("latin1")).not.toContain(secret.slice(6));
    await expect(deleteWebhookEndpoint(other, endpoint.id, SYSTEM, db)).rejects.toMatchObject({ code: "not_found" });
    const audit = await withTenant(tenantId, (tx) => tx.auditLog.findMany({ where: { tenantId, action: "webhook.create" } }), db);
    expect(audit).toHaveLength(1);
    await deleteWebhookEndpoint(tenantId, endpoint.id, SYSTEM, db);
    await r.close();
  });

  it("refuses URLs that are not http(s) or point at link-local / metadata addresses", async () => {
    await expect(createWebhookEndpoint(tenantId, { url: "ftp://example.test/x" }, SYSTEM, db)).rejects.toMatchObject({ code: "validation_failed" });
    await expect(createWebhookEndpoint(tenantId, { url: "http://169.254.169.254/latest" }, SYSTEM, db)).rejects.toMatchObject({
      code: "validation_failed",
      fields: { url: expect.stringContaining("169.254.169.254") },
    });
  });

  it("a test event is signed per Standard Webhooks and verifies with the secret; a failing endpoint shows in the log", async () => {
    const ok = await receiver();
    const { endpoint, secret } = await createWebhookEndpoint(tenantId, { url: ok.url }, SYSTEM, db);
    const delivery = await testWebhookEndpoint(tenantId, endpoint.id, SYSTEM, { db });
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 1, lastStatusCode: 200, eventType: "webhook.test" });
    const [got] = ok.received;
    expect(got!.headers["webhook-id"]).toBe(delivery.eventId);
    const verified = new Webhook(secret).verify(got!.body, got!.headers as Record<string, string>) as { type: string; data: { endpointId: string } };
    expect(verified).toMatchObject({ type: "webhook.test", data: { endpointId: endpoint.id } });
    // A forged body fails verification.
    expect(() => new Webhook(secret).verify(got!.body.replace("test", "tset"), got!.headers as Record<string, string>)).toThrow();

    const failing = await receiver([500]);
    const bad = await createWebhookEndpoint(tenantId, { url: failing.url }, SYSTEM, db);
    expect(await testWebhookEndpoint(tenantId, bad.endpoint.id, SYSTEM, { db })).toMatchObject({ status: "failed", lastStatusCode: 500, lastError: "endpoint answered 500" });
    expect((await listWebhookDeliveries(tenantId, { endpointId: bad.endpoint.id }, db))[0]).toMatchObject({ status: "failed", attempts: 1 });
    await deleteWebhookEndpoint(tenantId, endpoint.id, SYSTEM, db);
    await deleteWebhookEndpoint(tenantId, bad.endpoint.id, SYSTEM, db);
    await Promise.all([ok.close(), failing.close()]);
  });

  it("retries: a failed attempt throws (BullMQ retries it), a later one succeeds with the same webhook-id; the last failure marks it failed", async () => {
    const r = await receiver([503, 502]);
    const { endpoint } = await createWebhookEndpoint(tenantId, { url: r.url, eventTypes: ["quota.reached"] }, SYSTEM, db);
    const event = { tenantId, period: "month" as const, periodKey: "2026-10", metric: "requests" as const, limit: 10, used: 10, hard: true };
    const [deliveryId] = await notifyQuotaReached(event, { db });
    expect(await notifyQuotaReached(event, { db })).toEqual([]); // once per period and metric
    const job = (attemptsMade: number) => ({ attemptsMade, opts: { attempts: 3 } });
    await expect(processWebhookDelivery({ tenantId, deliveryId: deliveryId! }, job(0), db)).rejects.toThrow(/503/);
    await expect(processWebhookDelivery({ tenantId, deliveryId: deliveryId! }, job(1), db)).rejects.toThrow(/502/);
    expect(await processWebhookDelivery({ tenantId, deliveryId: deliveryId! }, job(2), db)).toEqual({ status: "succeeded" });
    expect(new Set(r.received.map((x) => x.headers["webhook-id"])).size).toBe(1);
    const [d] = await listWebhookDeliveries(tenantId, { endpointId: endpoint.id }, db);
    expect(d).toMatchObject({ status: "succeeded", attempts: 3, lastStatusCode: 200 });
    // Delivered already: running the job again sends nothing.
    await processWebhookDelivery({ tenantId, deliveryId: deliveryId! }, job(0), db);
    expect(r.received).toHaveLength(3);

    const down = await receiver([500]);
    const e2 = await createWebhookEndpoint(tenantId, { url: down.url, eventTypes: ["quota.period_closed"] }, SYSTEM, db);
    const [id2] = await withTenant(
      tenantId,
      (tx) => recordWebhookEvent(tx, tenantId, { id: `msg_${randomUUID()}`, type: "quota.period_closed", data: {}, at: new Date() }),
      db,
    );
    await expect(processWebhookDelivery({ tenantId, deliveryId: id2! }, job(2), db)).rejects.toThrow();
    expect((await listWebhookDeliveries(tenantId, { endpointId: e2.endpoint.id }, db))[0]).toMatchObject({ status: "failed", attempts: 1 });
    for (const id of [endpoint.id, e2.endpoint.id]) await deleteWebhookEndpoint(tenantId, id, SYSTEM, db);
    await Promise.all([r.close(), down.close()]);
  });

  describe("through real BullMQ workers", () => {
    const prefix = `mg:test:${randomUUID()}`;
    let connection: Redis;
    let running: RunningWorkers;

    beforeAll(async () => {
      connection = createRedis({ forBullmq: true, connectionName: "mg-webhooks-test" });
      running = startWorkers({ connection, prefix, concurrency: 2, logger: createLogger("t", { level: "silent" }), db, securityEvents: false, usage: false, healthNamespace: `t-${randomUUID()}` });
      await Promise.all(running.workers.map((w) => w.waitUntilReady()));
    });
    afterAll(async () => {
      await running.close();
      const q = createQueueClient({ connection, prefix });
      for (const name of ["maintenance", "webhooks", "retention"] as const) await q.queue(name).obliterate({ force: true });
      await q.close();
      await connection.quit();
    });

    it("quota.notify_reached → webhook.deliver jobs (10 attempts, exponential backoff) → a signed POST arrives", async () => {
      const r = await receiver();
      const { endpoint, secret } = await createWebhookEndpoint(tenantId, { url: r.url }, SYSTEM, db);
      await running.queues.enqueue("quota.notify_reached", { tenantId, period: "day", periodKey: "2026-11-20", metric: "tokens", limit: 5, used: 7, hard: false });
      const deadline = Date.now() + 10_000;
      while (r.received.length === 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
      expect(r.received).toHaveLength(1);
      const payload = new Webhook(secret).verify(r.received[0]!.body, r.received[0]!.headers as Record<string, string>);
      expect(payload).toMatchObject({ type: "quota.reached", data: { tenantId, metric: "tokens", limit: 5, used: 7, hard: false, periodKey: "2026-11-20" } });
      const jobs = await running.queues.queue("webhooks").getJobs(["completed", "active", "waiting"]);
      expect(jobs[0]?.opts).toMatchObject({ attempts: 10, backoff: { type: "exponential", delay: 30_000 } });
      await deleteWebhookEndpoint(tenantId, endpoint.id, SYSTEM, db);
      await r.close();
    });
  });
});
