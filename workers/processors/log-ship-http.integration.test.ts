import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb, superuser } from "../../test/db-helpers";
import { addAudit, addSecurityEvents, capturingLogger, createTenant, firstSeen, range } from "../../test/support/log-shipping-fixtures";
import { startBulkReceiver, startHecReceiver } from "../../test/support/log-receivers";
import { startLogShipper } from "./log-ship";
import { createRedis } from "../../lib/redis/connection";
import { ElasticsearchSink } from "../../lib/log-shipping/elasticsearch-sink";
import { shipOnce } from "../../lib/log-shipping/ship-run";
import { parseSinkConfigs, type ElasticsearchSinkConfig, type SinkConfig, type SplunkSinkConfig } from "../../lib/log-shipping/sink-config";
import { SplunkSink } from "../../lib/log-shipping/splunk-sink";

const TOKEN = "hec-7f3a9c1e-0b2d-4e5f-9a8b-secret";
const ES_KEY = "ZXNfa2V5X2lkOmVzX2tleV9zZWNyZXQ=";

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("HTTP sinks (Splunk HEC, Elasticsearch bulk) against strict local receivers", () => {
  const db = appDb(4);
  const redis = createRedis({ connectionName: "mg-logship-http-test" });
  const stamp = Date.now().toString(36);
  let su: pg.Client;
  let tenantA: string;
  let tenantB: string;

  const sinkConfig = <T extends SinkConfig>(c: Record<string, unknown>) => parseSinkConfigs(JSON.stringify([c]))[0] as T;
  const run = (sink: SplunkSink | ElasticsearchSink, batchSize = 10) => shipOnce(sink, { db, batchSize, maxRecords: 1000, securitySettleSeconds: 0, tenantIds: [tenantA, tenantB] });

  beforeAll(async () => {
    su = await superuser();
    tenantA = await createTenant(su, `lh-a-${stamp}`);
    tenantB = await createTenant(su, `lh-b-${stamp}`);
    await addAudit(db, tenantA, 25);
    await addAudit(db, tenantB, 9);
    await addSecurityEvents(su, tenantB, 4);
  });

  afterAll(async () => {
    await su.end();
    await redis.quit();
    await db.$disconnect();
  });

  it("Splunk HEC: token header, event envelopes, a refused request retried, order kept per tenant", async () => {
    const hec = await startHecReceiver({ token: TOKEN, failFirst: 2 });
    const sink = new SplunkSink(sinkConfig<SplunkSinkConfig>({ name: `hec-${stamp}`, type: "splunk", url: hec.url, token: TOKEN, index: "mg" }));
    try {
      const first = await run(sink);
      expect(first.sinkDown).toBe(true); // 503: nothing acknowledged, cursor unmoved
      expect(first.failures[0]!.error).toMatch(/answered 503: Server is busy/);
      expect(first.failures[0]!.error).not.toContain(TOKEN);
      expect(hec.events).toHaveLength(0);
      // the second request is refused too; then runs deliver until one finds nothing left
      expect((await run(sink)).sinkDown).toBe(true);
      for (let i = 0; i < 20; i++) {
        const r = await run(sink);
        expect(r.failures).toEqual([]);
        if (r.shipped === 0) break;
      }
    } finally {
      await sink.close();
      await hec.close();
    }
    expect(hec.protocolErrors).toEqual([]);
    const audit = (t: string) => hec.events.filter((e) => e.sourcetype === "modelgate:audit" && e.event.tenant_id === t).map((e) => Number(e.event.seq));
    expect(audit(tenantA)).toEqual(range(1, 25));
    expect(audit(tenantB)).toEqual(range(1, 9));
    const sec = hec.events.filter((e) => e.sourcetype === "modelgate:security" && e.event.tenant_id === tenantB);
    expect(sec).toHaveLength(4);
    expect(sec[0]).toMatchObject({ source: "modelgate", index: "mg", event: { type: "security", code: "ip_not_allowed", status: 403, tenant_slug: `lh-b-${stamp}` } });
    expect(sec[0]!.time).toBeCloseTo(Date.parse(sec[0]!.event.time as string) / 1000, 3);
  });

  it("Splunk HEC: a wrong token is a 401 — nothing advances, and the token is in no log line", async () => {
    const hec = await startHecReceiver({ token: TOKEN });
    const { logger, lines } = capturingLogger();
    const name = `hec-badtoken-${stamp}`;
    const shipper = startLogShipper({
      db,
      redis,
      logger,
      sinks: [sinkConfig({ name, type: "splunk", url: hec.url, token: "wrong-token-value" })],
      intervalMs: 50,
      batchSize: 10,
      securitySettleSeconds: 0,
      maxBackoffMs: 100,
    });
    try {
      await until("a lagging line", () => lines.some((l) => l.includes("log sink lagging")));
    } finally {
      await shipper.close();
      await hec.close();
    }
    expect(hec.events).toHaveLength(0);
    expect((await su.query("SELECT count(*)::int AS n FROM log_ship_cursors WHERE sink = $1", [name])).rows[0].n).toBe(0);
    const lagging = JSON.parse(lines.find((l) => l.includes("log sink lagging"))!);
    expect(lagging).toMatchObject({ level: "warn", sink: name, sink_type: "splunk", err: { message: expect.stringMatching(/answered 401: Invalid token/) } });
    expect(lagging.lag_seconds).toBeGreaterThanOrEqual(0);
    expect(lines.join("\n")).not.toContain("wrong-token-value");
  });

  it("Elasticsearch bulk: NDJSON, per-item failures retried from the first refused item, no duplicate documents", async () => {
    const failedOnce = new Set<string>();
    const es = await startBulkReceiver({
      apiKey: ES_KEY,
      // tenant A's seq 4 and 13 are refused once each (429)
      failItem: (id) => {
        if ((id === `${tenantA}:4` || id === `${tenantA}:13`) && !failedOnce.has(id)) {
          failedOnce.add(id);
          return true;
        }
        return false;
      },
    });
    const sink = new ElasticsearchSink(sinkConfig<ElasticsearchSinkConfig>({ name: `es-${stamp}`, type: "elasticsearch", url: es.url, apiKey: ES_KEY, index: "mg-test" }));
    try {
      const first = await run(sink);
      const refused = first.failures.find((f) => f.tenantId === tenantA && f.stream === "audit")!;
      expect(refused.error).toMatch(new RegExp(`document ${tenantA}:4 refused \\(429\\): es_rejected_execution_exception`));
      expect(refused.shippedTo).toBe("3"); // the cursor stops before the refused item
      for (let i = 0; i < 20; i++) if ((await run(sink)).shipped === 0 && failedOnce.size === 2) break;
      const again = await run(sink);
      expect(again).toMatchObject({ shipped: 0, failures: [] });
    } finally {
      await sink.close();
      await es.close();
    }
    expect(es.protocolErrors).toEqual([]);
    const ids = (t: string) => [...es.stored.values()].filter((d) => d.index === "mg-test-audit" && d.doc.tenant_id === t).map((d) => Number(d.doc.seq));
    expect(ids(tenantA).sort((a, b) => a - b)).toEqual(range(1, 25));
    expect(ids(tenantB).sort((a, b) => a - b)).toEqual(range(1, 9));
    expect([...es.stored.values()].filter((d) => d.index === "mg-test-security" && d.doc.tenant_id === tenantB)).toHaveLength(4);
    const doc = es.stored.get(`${tenantA}:1`)!.doc;
    expect(doc).toMatchObject({ type: "audit", tenant_id: tenantA, seq: "1", action: "key.create", outcome: "success" });
    expect(doc["@timestamp"]).toBe(doc.time);
  });

  it("one sink down never holds up another; killed mid-way and restarted, everything arrives in order", async () => {
    const hec = await startHecReceiver({ token: TOKEN });
    const { logger, lines } = capturingLogger();
    const healthy = sinkConfig({ name: `hec-live-${stamp}`, type: "splunk", url: hec.url, token: TOKEN });
    const dead = sinkConfig({ name: `es-dead-${stamp}`, type: "elasticsearch", url: "http://127.0.0.1:9" });
    const opts = { db, redis, logger, intervalMs: 50, batchSize: 3, securitySettleSeconds: 0, maxBackoffMs: 200 };
    const auditOf = (t: string) => hec.events.filter((e) => e.sourcetype === "modelgate:audit" && e.event.tenant_id === t).map((e) => Number(e.event.seq));
    let shipper = startLogShipper({ ...opts, sinks: [dead, healthy] });
    try {
      await until("a first delivery", () => auditOf(tenantA).length > 0);
      await shipper.close(); // stopped mid-way
      const partial = auditOf(tenantA).length;
      expect(partial).toBeLessThan(25);
      await addAudit(db, tenantA, 5);
      shipper = startLogShipper({ ...opts, sinks: [dead, healthy] });
      await until("the backlog", () => auditOf(tenantA).includes(30) && auditOf(tenantB).includes(9));
    } finally {
      await shipper.close();
      await hec.close();
    }
    const { order, repeats } = firstSeen(auditOf(tenantA));
    expect(order).toEqual(range(1, 30));
    expect(repeats).toBe(0);
    expect(auditOf(tenantB)).toEqual(range(1, 9));
    expect(lines.some((l) => l.includes("log sink lagging") && l.includes(`es-dead-${stamp}`) && l.includes("ECONNREFUSED"))).toBe(true);
    expect((await su.query("SELECT count(*)::int AS n FROM log_ship_cursors WHERE sink = $1", [`es-dead-${stamp}`])).rows[0].n).toBe(0);
  });

  it("two worker processes: only the holder of a sink's lock ships it", async () => {
    const hec = await startHecReceiver({ token: TOKEN });
    const sink = sinkConfig({ name: `hec-lock-${stamp}`, type: "splunk", url: hec.url, token: TOKEN });
    const a = capturingLogger();
    const b = capturingLogger();
    const opts = { db, redis, intervalMs: 50, batchSize: 5, securitySettleSeconds: 0 };
    const one = startLogShipper({ ...opts, logger: a.logger, sinks: [sink] });
    const two = startLogShipper({ ...opts, logger: b.logger, sinks: [sink] });
    try {
      await until("the backlog", () => hec.events.filter((e) => e.event.tenant_id === tenantA && e.sourcetype === "modelgate:audit").length >= 30);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await Promise.all([one.close(), two.close()]);
      await hec.close();
    }
    const seqs = hec.events.filter((e) => e.event.tenant_id === tenantA && e.sourcetype === "modelgate:audit").map((e) => Number(e.event.seq));
    expect(seqs).toEqual(range(1, 30));
    const holders = [a.lines, b.lines].filter((ls) => ls.some((l) => l.includes('"lock":"acquired"')));
    expect(holders).toHaveLength(1);
  });
});
