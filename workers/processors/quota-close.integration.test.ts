import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb } from "../../test/db-helpers";
import { withTenant } from "../../lib/db/tenant-scope";
import { createQueueClient, type QueueClient } from "../../lib/queue/enqueue";
import { manualClock } from "../../lib/quotas/clock";
import { quotaCounterKey } from "../../lib/quotas/quota-counter";
import { setTenantQuota } from "../../lib/quotas/set-quota";
import { createRedis } from "../../lib/redis/connection";
import { closeSharedRedis } from "../../lib/redis/shared";
import { createTenant } from "../../lib/tenants/create-tenant";
import { processQuotaClose, processQuotaSweep } from "./quota-close";

const SYSTEM = { actor: { type: "system" as const, id: "quota-close-test" } };

describe("quota.close_periods sweep and quota.close_period", { timeout: 30_000 }, () => {
  const db = appDb(2);
  const prefix = `mg:test:${randomUUID()}`;
  let redis: Redis;
  let queues: QueueClient;
  let tenantId: string;
  let createdAt: Date;

  beforeAll(async () => {
    redis = createRedis({ forBullmq: true, connectionName: "quota-close-test" });
    queues = createQueueClient({ connection: redis, prefix }); // no worker: jobs stay queued for inspection
    tenantId = (await createTenant({ name: "Sweep", slug: `sweep-${Date.now().toString(36)}` }, { ownerUserId: null, actor: SYSTEM.actor }, db)).id;
    await setTenantQuota(tenantId, { period: "day", requests: { limit: 10, hard: true } }, SYSTEM, db);
    createdAt = (await withTenant(tenantId, (tx) => tx.tenantQuota.findUniqueOrThrow({ where: { tenantId } }), db)).createdAt;
  });
  afterAll(async () => {
    await queues.queue("maintenance").obliterate({ force: true });
    await queues.close();
    await redis.quit();
    await db.$disconnect();
    await closeSharedRedis();
  });

  const queuedFor = async () =>
    (await queues.queue("maintenance").getJobs(["waiting"])).filter((j) => j.name === "quota.close_period" && j.data.tenantId === tenantId).map((j) => j.data.periodKey as string).sort();

  it("queues every ended, unrecorded period since the quota was set (a stopped worker catches up), once; closing records each once", async () => {
    const day = (offset: number) => new Date(Date.UTC(createdAt.getUTCFullYear(), createdAt.getUTCMonth(), createdAt.getUTCDate() + offset)).toISOString().slice(0, 10);
    // Three days later, at noon UTC: the quota's first day and the two after it have ended.
    const clock = manualClock(`${day(3)}T12:00:00.000Z`);
    await redis.hset(quotaCounterKey(tenantId, "day", day(1)), { u: 7, t: 70 });

    const deps = { redis, queues, db, clock };
    await processQuotaSweep(deps);
    await processQuotaSweep(deps); // the same jobs again: deduplicated by id
    expect(await queuedFor()).toEqual([day(0), day(1), day(2)]);

    for (const key of [day(0), day(1), day(2)]) {
      expect(await processQuotaClose({ tenantId, period: "day", periodKey: key }, deps)).toMatchObject({ closed: true });
      expect(await processQuotaClose({ tenantId, period: "day", periodKey: key }, deps)).toEqual({ closed: false, requests: null, tokens: null });
    }
    const rows = await withTenant(tenantId, (tx) => tx.quotaPeriod.findMany({ where: { tenantId }, orderBy: { periodKey: "asc" } }), db);
    expect(rows.map((r) => [r.periodKey, Number(r.requests), Number(r.tokens)])).toEqual([
      [day(0), 0, 0],
      [day(1), 7, 70],
      [day(2), 0, 0],
    ]);

    // Everything recorded: the next day's sweep (past the grace minute) queues only the day that just ended.
    await queues.queue("maintenance").obliterate({ force: true });
    clock.set(`${day(4)}T00:00:30.000Z`);
    await processQuotaSweep(deps);
    expect(await queuedFor()).toEqual([]); // within the grace minute
    clock.set(`${day(4)}T00:02:00.000Z`);
    await processQuotaSweep(deps);
    expect(await queuedFor()).toEqual([day(3)]);
  });
});
