import { randomUUID } from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb, insertTenantWithMember, superuser } from "../../test/db-helpers";
import { withTenant } from "../../lib/db/tenant-scope";
import { createLogger } from "../../lib/log/logger";
import { createRedis } from "../../lib/redis/connection";
import { createSecurityRecorder, type SecurityRecordInput } from "../../lib/usage/usage-record";
import { ensureSecurityGroup, ingestSecurityEvents, SECURITY_GROUP, startSecurityEventConsumer } from "./security-events";

const logger = createLogger("security-events-test", { level: "silent" });

describe("security events: mg:security → security_events", () => {
  const db = appDb(2);
  const redis = createRedis({ connectionName: "mg-security-test", logger });
  const stream = `mg:test:security:${randomUUID()}`;
  let su: pg.Client;
  let tenant: string;
  let other: string;

  beforeAll(async () => {
    su = await superuser();
    const stamp = Date.now().toString(36);
    tenant = (await insertTenantWithMember(su, `sec-a-${stamp}`)).tenantId;
    other = (await insertTenantWithMember(su, `sec-b-${stamp}`)).tenantId;
    await ensureSecurityGroup(redis, stream);
  });

  afterAll(async () => {
    await redis.del(stream);
    await redis.quit();
    await su.end();
    await db.$disconnect();
  });

  const denial = (tenantId: string, requestId: string, extra: Partial<SecurityRecordInput> = {}): SecurityRecordInput => ({
    tenantId,
    requestId,
    code: "ip_not_allowed",
    status: 403,
    method: "POST",
    path: "/v1/chat/completions",
    clientIp: "203.0.113.9",
    at: Date.parse("2026-01-02T03:04:05.000Z"),
    ...extra,
  });

  async function push(records: SecurityRecordInput[]) {
    const recorder = createSecurityRecorder(redis, { stream });
    for (const r of records) recorder.push(r);
    await recorder.close();
  }

  const eventsOf = (tenantId: string) =>
    withTenant(tenantId, (tx) => tx.securityEvent.findMany({ where: { tenantId }, orderBy: { requestId: "asc" } }), db);

  it("stores each denial under its own tenant, with the time it happened", async () => {
    const keyId = randomUUID();
    await push([denial(tenant, "a-1", { keyId, model: "echo" }), denial(other, "b-1", { code: "rate_limited", status: 429, clientIp: undefined })]);
    expect(await ingestSecurityEvents(redis, { db, logger, consumer: "c1", stream })).toBe(2);
    expect(await eventsOf(tenant)).toMatchObject([
      { requestId: "a-1", keyId, code: "ip_not_allowed", status: 403, method: "POST", path: "/v1/chat/completions", clientIp: "203.0.113.9", model: "echo", createdAt: new Date("2026-01-02T03:04:05.000Z") },
    ]);
    expect(await eventsOf(other)).toMatchObject([{ requestId: "b-1", code: "rate_limited", clientIp: null, keyId: null }]);
    expect(await redis.xpending(stream, SECURITY_GROUP)).toEqual([0, null, null, null]);
  });

  it("is idempotent: a redelivered denial is stored once (ON CONFLICT DO NOTHING)", async () => {
    await push([denial(tenant, "a-2"), denial(tenant, "a-2")]);
    await ingestSecurityEvents(redis, { db, logger, consumer: "c1", stream });
    await push([denial(tenant, "a-2")]);
    await ingestSecurityEvents(redis, { db, logger, consumer: "c1", stream });
    expect((await eventsOf(tenant)).filter((e) => e.requestId === "a-2")).toHaveLength(1);
  });

  it("acknowledges and drops malformed entries and entries of tenants that no longer exist", async () => {
    await redis.xadd(stream, "*", "tenantId", "not-a-uuid", "requestId", "x");
    await push([denial(randomUUID(), "ghost-1")]);
    await ingestSecurityEvents(redis, { db, logger, consumer: "c1", stream });
    expect(await redis.xpending(stream, SECURITY_GROUP)).toEqual([0, null, null, null]);
  });

  it("the worker's consumer loop stores new denials as they arrive, and stops promptly", async () => {
    const consumer = startSecurityEventConsumer(redis, { db, logger, stream });
    await push([denial(tenant, "loop-1")]);
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && !(await eventsOf(tenant)).some((e) => e.requestId === "loop-1")) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await eventsOf(tenant)).some((e) => e.requestId === "loop-1")).toBe(true);
    const stopping = Date.now();
    await consumer.close();
    expect(Date.now() - stopping).toBeLessThan(1_500);
  });
});
