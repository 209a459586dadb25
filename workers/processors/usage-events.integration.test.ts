import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb, insertTenantWithMember, superuser } from "../../test/db-helpers";
import { testEnv } from "../../test/test-env";
import { createLogger } from "../../lib/log/logger";
import { createRedis } from "../../lib/redis/connection";
import { deadStreamOf, readUsageStreamHealth } from "../../lib/usage/usage-dead-letter";
import { createUsageRecorder, USAGE_STREAM, type UsageRecordInput } from "../../lib/usage/usage-record";
import { ensureUsageGroup, ingestUsageEvents, startUsageConsumer, USAGE_GROUP } from "./usage-events";

const logger = createLogger("usage-events-test", { level: "silent" });
const ROOT = path.resolve(import.meta.dirname, "../..");

describe("usage pipeline: mg:usage → usage_events + usage_rollups", () => {
  const db = appDb(2);
  const redis = createRedis({ connectionName: "mg-usage-test", logger });
  const stream = `mg:test:usage:${randomUUID()}`;
  let su: pg.Client;
  let tenant: string;
  let other: string;
  const keyA = randomUUID();
  const keyB = randomUUID();
  const at = Date.parse("2026-03-04T10:15:30.000Z");

  beforeAll(async () => {
    su = await superuser();
    const stamp = Date.now().toString(36);
    tenant = (await insertTenantWithMember(su, `use-a-${stamp}`)).tenantId;
    other = (await insertTenantWithMember(su, `use-b-${stamp}`)).tenantId;
    await ensureUsageGroup(redis, stream);
  });

  afterAll(async () => {
    await redis.del(stream, deadStreamOf(stream));
    await redis.quit();
    await su.end();
    await db.$disconnect();
  });

  const usage = (tenantId: string, requestId: string, extra: Partial<UsageRecordInput> = {}): UsageRecordInput => ({
    tenantId,
    keyId: keyA,
    requestId,
    route: "openai.chat",
    model: "echo",
    status: 200,
    latencyMs: 12.4,
    promptTokens: 10,
    completionTokens: 5,
    totalTokens: 15,
    at,
    ...extra,
  });

  async function push(records: UsageRecordInput[], to = stream) {
    const recorder = createUsageRecorder(redis, { stream: to, batchSize: 1_000 });
    for (const r of records) recorder.push(r);
    await recorder.close();
  }

  const rollups = async (tenantId: string, granularity: string) =>
    (
      await su.query(
        `SELECT bucket_start, key_id, model, status_class, requests::int, errors::int, prompt_tokens::int, completion_tokens::int, total_tokens::int,
                latency_ms_sum::int, lat_le_5::int, lat_le_25::int, lat_le_100::int, lat_gt_60000::int
           FROM usage_rollups WHERE tenant_id = $1 AND granularity = $2 ORDER BY bucket_start, key_id, model, status_class`,
        [tenantId, granularity],
      )
    ).rows;
  const eventCount = async (tenantId: string) =>
    (await su.query<{ n: number }>("SELECT count(*)::int AS n FROM usage_events WHERE tenant_id = $1", [tenantId])).rows[0]!.n;

  it("stores each request once and rolls it up by minute, hour and day, key, model and status class", async () => {
    await push([
      usage(tenant, "r-1"),
      usage(tenant, "r-2", { latencyMs: 3, at: at + 40_000 }), // the next minute
      usage(tenant, "r-3", { status: 502, latencyMs: 70_000, promptTokens: undefined, completionTokens: undefined, totalTokens: undefined }),
      usage(tenant, "r-4", { keyId: keyB, model: undefined, promptTokens: 7, completionTokens: 1, totalTokens: undefined }),
      usage(other, "o-1"),
    ]);
    expect(await ingestUsageEvents(redis, { db, logger, consumer: "c1", stream })).toEqual({ read: 5, inserted: 5, acked: 5, dead: 0 });
    const events = await su.query("SELECT request_id, key_id, route, model, status, latency_ms, total_tokens, occurred_at FROM usage_events WHERE tenant_id = $1 ORDER BY request_id", [tenant]);
    expect(events.rows).toMatchObject([
      { request_id: "r-1", key_id: keyA, route: "openai.chat", model: "echo", status: 200, latency_ms: 12, total_tokens: 15, occurred_at: new Date(at) },
      { request_id: "r-2", latency_ms: 3 },
      { request_id: "r-3", status: 502, latency_ms: 70_000, total_tokens: null },
      { request_id: "r-4", key_id: keyB, model: null, total_tokens: 8 },
    ]);
    const hour = new Date("2026-03-04T10:00:00.000Z");
    const hourly = await rollups(tenant, "hour");
    const byKey = { a: hourly.filter((r) => r.key_id === keyA), b: hourly.filter((r) => r.key_id === keyB) };
    expect(byKey.a).toEqual([
      { bucket_start: hour, key_id: keyA, model: "echo", status_class: "2xx", requests: 2, errors: 0, prompt_tokens: 20, completion_tokens: 10, total_tokens: 30, latency_ms_sum: 15, lat_le_5: 1, lat_le_25: 1, lat_le_100: 0, lat_gt_60000: 0 },
      { bucket_start: hour, key_id: keyA, model: "echo", status_class: "5xx", requests: 1, errors: 1, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, latency_ms_sum: 70_000, lat_le_5: 0, lat_le_25: 0, lat_le_100: 0, lat_gt_60000: 1 },
    ]);
    expect(byKey.b).toMatchObject([{ model: "", status_class: "2xx", requests: 1, total_tokens: 8 }]);
    expect(hourly).toHaveLength(3);
    const minutes = await rollups(tenant, "minute");
    expect(minutes.filter((r) => r.key_id === keyA && r.status_class === "2xx").map((r) => [r.bucket_start.toISOString(), r.requests])).toEqual([
      ["2026-03-04T10:15:00.000Z", 1],
      ["2026-03-04T10:16:00.000Z", 1],
    ]);
    const days = await rollups(tenant, "day");
    expect(days.reduce((n, r) => n + r.requests, 0)).toBe(4);
    expect(days.every((r) => r.bucket_start.toISOString() === "2026-03-04T00:00:00.000Z")).toBe(true);
    // Each tenant's rows are its own.
    expect(await eventCount(other)).toBe(1);
    expect((await rollups(other, "day")).map((r) => r.requests)).toEqual([1]);
    expect(await redis.xpending(stream, USAGE_GROUP)).toEqual([0, null, null, null]);
  });

  it("counts a duplicated stream entry once, in one batch or across batches", async () => {
    await push([usage(tenant, "d-1", { at: at + 3_600_000 }), usage(tenant, "d-1", { at: at + 3_600_000 }), usage(tenant, "d-2", { at: at + 3_600_000 })]);
    expect((await ingestUsageEvents(redis, { db, logger, consumer: "c1", stream })).inserted).toBe(2);
    await push([usage(tenant, "d-1", { at: at + 3_600_000 }), usage(tenant, "d-2", { at: at + 3_600_000 })]);
    expect(await ingestUsageEvents(redis, { db, logger, consumer: "c1", stream })).toEqual({ read: 2, inserted: 0, acked: 2, dead: 0 });
    const hourly = (await rollups(tenant, "hour")).filter((r) => r.bucket_start.toISOString() === "2026-03-04T11:00:00.000Z");
    expect(hourly.map((r) => r.requests)).toEqual([2]);
  });

  it("counts two requests that share a caller's request id (X-Request-Id) as two", async () => {
    const t = at + 5 * 3_600_000;
    await push([usage(tenant, "client-id", { at: t }), usage(tenant, "client-id", { at: t + 7 }), usage(tenant, "client-id", { at: t + 7 })]);
    expect((await ingestUsageEvents(redis, { db, logger, consumer: "c1", stream })).inserted).toBe(2);
    const hourly = (await rollups(tenant, "hour")).filter((r) => r.bucket_start.toISOString() === "2026-03-04T15:00:00.000Z");
    expect(hourly.map((r) => r.requests)).toEqual([2]);
  });

  it("takes over what a dead consumer read but never acknowledged, whether or not it had committed", async () => {
    const hourAt = at + 2 * 3_600_000;
    await push([usage(tenant, "p-1", { at: hourAt }), usage(tenant, "p-2", { at: hourAt }), usage(tenant, "p-3", { at: hourAt })]);
    // A consumer reads the entries and dies: before storing anything...
    await redis.xreadgroup("GROUP", USAGE_GROUP, "dead", "COUNT", 2, "STREAMS", stream, ">");
    // ...or after committing p-3 but before its XACK.
    const read = (await redis.xreadgroup("GROUP", USAGE_GROUP, "dead-after-commit", "COUNT", 1, "STREAMS", stream, ">")) as [string, [string, string[]][]][];
    expect(read[0]![1]).toHaveLength(1);
    await su.query(
      "INSERT INTO usage_events (tenant_id, request_id, key_id, route, status, latency_ms, occurred_at) VALUES ($1, 'p-3', $2, 'openai.chat', 200, 1, $3)",
      [tenant, keyA, new Date(hourAt)],
    );
    // Nothing new to read, and the entries are not idle long enough yet.
    expect((await ingestUsageEvents(redis, { db, logger, consumer: "live", stream, claimIdleMs: 60_000 })).read).toBe(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(await ingestUsageEvents(redis, { db, logger, consumer: "live", stream, claimIdleMs: 10 })).toEqual({ read: 3, inserted: 2, acked: 3, dead: 0 });
    expect(await redis.xpending(stream, USAGE_GROUP)).toEqual([0, null, null, null]);
    // p-3 was stored (by the hand of the "dead" consumer) without its rollup: exactly-once means it is not added now.
    const hourly = (await rollups(tenant, "hour")).filter((r) => r.bucket_start.toISOString() === "2026-03-04T12:00:00.000Z");
    expect(hourly.map((r) => r.requests)).toEqual([2]);
  });

  it("acknowledges and drops the records of tenants that no longer exist", async () => {
    await push([usage(randomUUID(), "ghost-1")]);
    expect(await ingestUsageEvents(redis, { db, logger, consumer: "c1", stream })).toEqual({ read: 1, inserted: 0, acked: 1, dead: 0 });
    expect(await redis.xpending(stream, USAGE_GROUP)).toEqual([0, null, null, null]);
    expect(await redis.xlen(deadStreamOf(stream))).toBe(0);
  });

  describe("poison entries", () => {
    const lines: string[] = [];
    const captured = createLogger("usage-events-poison", { level: "debug", destination: { write: (line: string) => void lines.push(line) } });
    // Looks like a key and sits in a field the worker cannot parse: it must not reach a log or the dead letter.
    const secretLike = `mgk_${"Zq8".repeat(12)}abc123`;
    const dead = () => deadStreamOf(stream);
    const requestsOf = async (tenantId: string, from: string, to: string) =>
      (
        await su.query<{ n: number | null }>(
          "SELECT sum(requests)::int AS n FROM usage_rollups WHERE tenant_id = $1 AND granularity = 'hour' AND bucket_start >= $2 AND bucket_start < $3",
          [tenantId, from, to],
        )
      ).rows[0]!.n ?? 0;

    it("moves a malformed entry between valid ones to the dead letter; the others count once and the stream keeps flowing", async () => {
      const t = Date.parse("2026-07-08T09:10:00.000Z");
      await redis.del(dead());
      await push([usage(tenant, "pz-1", { at: t }), usage(tenant, "pz-2", { at: t + 1_000 })]);
      await redis.xadd(stream, "*", "tenantId", tenant, "keyId", secretLike, "requestId", "pz-bad", "route", "openai.chat", "status", "200", "latencyMs", "5", "at", "soon");
      await push([usage(tenant, "pz-3", { at: t + 2_000 }), usage(other, "pz-4", { at: t + 3_000 })]);

      const consumer = startUsageConsumer(redis, { db, logger: captured, stream, count: 2 });
      try {
        const drained = async () => {
          const health = await readUsageStreamHealth(redis, { stream });
          return health.pending === 0 && health.lag === 0 && health.deadLetters === 1;
        };
        const deadline = Date.now() + 15_000;
        while (Date.now() < deadline && !(await drained())) await new Promise((r) => setTimeout(r, 50));
        expect(await drained()).toBe(true);
        // The stream keeps flowing after the poison entry.
        await push([usage(tenant, "pz-5", { at: t + 4_000 })]);
        const until = Date.now() + 15_000;
        while (Date.now() < until && (await requestsOf(tenant, "2026-07-08T09:00:00Z", "2026-07-08T10:00:00Z")) < 4) await new Promise((r) => setTimeout(r, 50));
      } finally {
        await consumer.close();
      }
      // Redelivered valid entries would still count once.
      await push([usage(tenant, "pz-1", { at: t })]);
      await ingestUsageEvents(redis, { db, logger: captured, consumer: "c1", stream });
      expect(await requestsOf(tenant, "2026-07-08T09:00:00Z", "2026-07-08T10:00:00Z")).toBe(4);
      expect(await requestsOf(other, "2026-07-08T09:00:00Z", "2026-07-08T10:00:00Z")).toBe(1);

      const health = await readUsageStreamHealth(redis, { stream });
      expect(health).toMatchObject({ pending: 0, lag: 0, deadLetters: 1, deadLettersTotal: 1 });
      expect(health.recentDeadLetters).toEqual([
        {
          entryId: expect.stringMatching(/^\d+-\d+$/),
          appendedAt: expect.any(String),
          deadAt: expect.any(String),
          reason: "invalid record: keyId (invalid_format), at (invalid_type)",
          tenantId: tenant,
          keyId: null,
          fields: ["tenantId", "keyId", "requestId", "route", "status", "latencyMs", "at"],
        },
      ]);
      const raw = JSON.stringify(await redis.xrange(dead(), "-", "+"));
      expect(raw).not.toContain(secretLike);
      expect(raw).not.toContain("pz-bad");
      expect(lines.join("\n")).toContain("usage entries moved to the dead letter");
      expect(lines.join("\n")).not.toContain(secretLike);
    });

    it("dead-letters a record Postgres refuses on its first delivery, and stores its batch-mates", async () => {
      const poison = `pz-refused-${randomUUID()}`;
      await redis.del(dead());
      // A constraint only this record breaks: the same refusal on every delivery (SQLSTATE 23514).
      await su.query(`ALTER TABLE usage_events ADD CONSTRAINT usage_poison_test CHECK (request_id <> '${poison}') NOT VALID`);
      try {
        const t = Date.parse("2026-07-09T09:10:00.000Z");
        await push([usage(tenant, "pr-1", { at: t }), usage(tenant, poison, { at: t }), usage(tenant, "pr-2", { at: t })]);
        expect(await ingestUsageEvents(redis, { db, logger: captured, consumer: "c1", stream })).toEqual({ read: 3, inserted: 2, acked: 3, dead: 1 });
      } finally {
        await su.query("ALTER TABLE usage_events DROP CONSTRAINT usage_poison_test");
      }
      expect(await requestsOf(tenant, "2026-07-09T09:00:00Z", "2026-07-09T10:00:00Z")).toBe(2);
      expect(await redis.xpending(stream, USAGE_GROUP)).toEqual([0, null, null, null]);
      const [entry] = (await readUsageStreamHealth(redis, { stream })).recentDeadLetters;
      expect(entry).toMatchObject({ reason: "database refused the record (SQLSTATE 23514)", tenantId: tenant, keyId: keyA });
      expect(JSON.stringify(await redis.xrange(dead(), "-", "+"))).not.toContain(poison);
    });

    it("retries a record failing otherwise, and dead-letters it after maxDeliveries while the database answers", async () => {
      const poison = `pz-stuck-${randomUUID()}`;
      await redis.del(dead());
      // Not a data error (SQLSTATE P0001): it could be transient, so it is retried first.
      await su.query(`CREATE FUNCTION usage_poison_test() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.request_id = '${poison}' THEN RAISE EXCEPTION 'stuck'; END IF; RETURN NEW; END $$`);
      await su.query("CREATE TRIGGER usage_poison_test BEFORE INSERT ON usage_events FOR EACH ROW EXECUTE FUNCTION usage_poison_test()");
      try {
        const t = Date.parse("2026-07-10T09:10:00.000Z");
        await push([usage(tenant, "ps-1", { at: t }), usage(tenant, poison, { at: t })]);
        const opts = { db, logger: captured, consumer: "c1", stream, claimIdleMs: 10, maxDeliveries: 3 };
        expect(await ingestUsageEvents(redis, opts)).toEqual({ read: 2, inserted: 0, acked: 0, dead: 0 });
        await new Promise((r) => setTimeout(r, 30));
        expect(await ingestUsageEvents(redis, opts)).toEqual({ read: 2, inserted: 0, acked: 0, dead: 0 });
        await new Promise((r) => setTimeout(r, 30));
        // Third delivery: one by one, ps-1 is stored and the stuck record goes to the dead letter.
        expect(await ingestUsageEvents(redis, opts)).toEqual({ read: 2, inserted: 1, acked: 2, dead: 1 });
      } finally {
        await su.query("DROP TRIGGER usage_poison_test ON usage_events");
        await su.query("DROP FUNCTION usage_poison_test()");
      }
      expect(await requestsOf(tenant, "2026-07-10T09:00:00Z", "2026-07-10T10:00:00Z")).toBe(1);
      expect(await redis.xpending(stream, USAGE_GROUP)).toEqual([0, null, null, null]);
      const [entry] = (await readUsageStreamHealth(redis, { stream })).recentDeadLetters;
      expect(entry?.reason).toBe("not stored after 3 deliveries (SQLSTATE P0001)");
    });
  });

  it("the consumer loop stores usage as it arrives and stops promptly", async () => {
    const consumer = startUsageConsumer(redis, { db, logger, stream });
    await push([usage(other, "loop-1")]);
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && (await eventCount(other)) < 2) await new Promise((r) => setTimeout(r, 50));
    expect(await eventCount(other)).toBe(2);
    const stopping = Date.now();
    await consumer.close();
    expect(Date.now() - stopping).toBeLessThan(2_500);
  });

  describe("a real worker process killed with SIGKILL mid-batch", () => {
    const TOTAL = 24_000;
    const DUPLICATES = 500;
    let worker: ChildProcess | null = null;

    function startWorker(): ChildProcess {
      const child = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
        cwd: ROOT,
        env: { ...process.env, ...testEnv(), LOG_LEVEL: "silent", USAGE_BATCH_SIZE: "150", USAGE_CLAIM_IDLE_MS: "1000" },
        stdio: "ignore",
      });
      worker = child;
      return child;
    }

    afterAll(async () => {
      if (worker && worker.exitCode === null && worker.signalCode === null) {
        worker.kill("SIGTERM");
        await new Promise((r) => worker!.once("exit", r));
      }
    });

    it("loses nothing and counts nothing twice after a restart", { timeout: 120_000 }, async () => {
      const t1 = tenant;
      const t2 = other;
      const hourAt = Date.parse("2026-05-06T07:00:00.000Z");
      const records: UsageRecordInput[] = [];
      for (let i = 0; i < TOTAL; i++) {
        records.push(
          usage(i % 3 === 0 ? t2 : t1, `kill-${i}`, {
            at: hourAt + (i % 3_600) * 1_000,
            keyId: i % 2 ? keyA : keyB,
            status: i % 10 === 0 ? 500 : 200,
            promptTokens: 3,
            completionTokens: 2,
            totalTokens: 5,
            latencyMs: i % 100,
          }),
        );
      }
      // The gateway may push one record twice (a retried XADD): the duplicates ride in the stream too.
      const duplicates = records.slice(0, DUPLICATES).map((r) => ({ ...r }));
      await push([...records, ...duplicates], USAGE_STREAM);
      const inWindow = "occurred_at >= '2026-05-06T07:00:00Z' AND occurred_at < '2026-05-06T08:00:00Z'";
      const stored = async () => (await su.query<{ n: number }>(`SELECT count(*)::int AS n FROM usage_events WHERE ${inWindow}`)).rows[0]!.n;

      const first = startWorker();
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && (await stored()) === 0) await new Promise((r) => setTimeout(r, 5));
      first.kill("SIGKILL");
      await new Promise((r) => first.once("exit", r));
      const atKill = await stored();
      expect(atKill).toBeGreaterThan(0);
      expect(atKill).toBeLessThan(TOTAL);
      // The killed consumer left its batch pending (read, maybe stored, never acknowledged).
      const [pendingAtKill] = (await redis.xpending(USAGE_STREAM, USAGE_GROUP)) as [number];

      const second = startWorker();
      const until = Date.now() + 90_000;
      while (Date.now() < until) {
        const [pending] = (await redis.xpending(USAGE_STREAM, USAGE_GROUP)) as [number];
        const lag = Number(((await redis.xinfo("GROUPS", USAGE_STREAM)) as unknown[][])[0]!.at(-1) ?? 0);
        if ((await stored()) === TOTAL && pending === 0 && lag === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      second.kill("SIGTERM");
      await new Promise((r) => second.once("exit", r));

      expect(await stored()).toBe(TOTAL);
      expect(await redis.xpending(USAGE_STREAM, USAGE_GROUP)).toEqual([0, null, null, null]);
      const expectedFor = (tenantId: string) => records.filter((r) => r.tenantId === tenantId);
      for (const tenantId of [t1, t2]) {
        const want = expectedFor(tenantId);
        for (const granularity of ["minute", "hour", "day"]) {
          const { rows } = await su.query(
            `SELECT sum(requests)::int AS requests, sum(errors)::int AS errors, sum(total_tokens)::int AS tokens, sum(latency_ms_sum)::int AS latency
               FROM usage_rollups WHERE tenant_id = $1 AND granularity = $2 AND bucket_start >= '2026-05-06T00:00:00Z' AND bucket_start < '2026-05-07T00:00:00Z'`,
            [tenantId, granularity],
          );
          expect({ granularity, ...rows[0] }).toEqual({
            granularity,
            requests: want.length,
            errors: want.filter((r) => r.status >= 400).length,
            tokens: want.length * 5,
            latency: want.reduce((n, r) => n + r.latencyMs, 0),
          });
        }
      }
      expect(pendingAtKill, "the kill left a batch read but not acknowledged").toBeGreaterThan(0);
    });
  });
});
