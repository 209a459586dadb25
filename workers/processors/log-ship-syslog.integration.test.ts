import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb, superuser } from "../../test/db-helpers";
import { addAudit, addSecurityEvents, capturingLogger, createTenant, firstSeen, range } from "../../test/support/log-shipping-fixtures";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { selfSignedCert, startRsyslog, type ParsedSyslog, type RsyslogServer } from "../../test/support/rsyslog";
import { startLogShipper } from "./log-ship";
import { shipOnce } from "../../lib/log-shipping/ship-run";
import type { ShipRecord } from "../../lib/log-shipping/ship-record";
import type { SendResult, Sink } from "../../lib/log-shipping/sink";
import { parseSinkConfigs, type SyslogSinkConfig } from "../../lib/log-shipping/sink-config";
import { SyslogSink } from "../../lib/log-shipping/syslog-sink";
import { createRedis } from "../../lib/redis/connection";

/**
 * The syslog sink against Debian's rsyslogd (imtcp, octet-counted framing,
 * its RFC 5424 parser), started for this file on a free port.
 */
describe("syslog sink → rsyslogd", () => {
  const db = appDb(4);
  const redis = createRedis({ connectionName: "mg-logship-syslog-test" });
  let su: pg.Client;
  let rsyslog: RsyslogServer;
  let tenantA: string;
  let tenantB: string;
  const stamp = Date.now().toString(36);

  // Each sink names itself as the messages' HOSTNAME, so a test counts only what its own sink
  // sent: rsyslog may still be writing out an earlier test's last messages when the next starts.
  const config = (name: string): SyslogSinkConfig =>
    parseSinkConfigs(JSON.stringify([{ name, type: "syslog", host: "127.0.0.1", port: rsyslog.port, hostname: name }]))[0] as SyslogSinkConfig;

  /** The audit seqs rsyslog received for one tenant (from one sink, when named), in arrival order. */
  const auditSeqs = (msgs: ParsedSyslog[], tenantId: string, sinkName?: string) =>
    msgs
      .filter((m) => m.msgid === "audit" && m.sd.includes(`tenant="${tenantId}"`) && (sinkName === undefined || m.hostname === sinkName))
      .map((m) => Number(/ seq="(\d+)"/.exec(m.sd)![1]));

  /** Runs until a run ships nothing; returns how many runs shipped something. */
  async function drain(sink: Sink, sinkName = sink.name, exclude: { stream: "audit" | "security"; tenantId: string }[] = []) {
    for (let i = 0; i < 50; i++) {
      const r = await shipOnce(sink, { db, batchSize: 7, maxRecords: 1000, securitySettleSeconds: 0, tenantIds: [tenantA, tenantB], exclude });
      expect(r.failures, `${sinkName}: ${JSON.stringify(r.failures)}`).toEqual([]);
      if (r.shipped === 0) return i;
    }
    throw new Error("shipping did not finish");
  }

  /** The shipper's cross-tenant reads recorded in the platform audit log for one sink. */
  const platformReads = async (sinkName: string) =>
    (await su.query("SELECT actor_type, action, reason FROM platform_audit_logs WHERE actor_id = 'log-shipper' AND reason = $1", [`central log shipping to sink ${sinkName}`])).rows;

  beforeAll(async () => {
    rsyslog = await startRsyslog();
    su = await superuser();
    tenantA = await createTenant(su, `ls-a-${stamp}`);
    tenantB = await createTenant(su, `ls-b-${stamp}`);
    await addAudit(db, tenantA, 30);
    await addAudit(db, tenantB, 12, "member.role_change");
    await addSecurityEvents(su, tenantA, 5);
  });

  afterAll(async () => {
    await rsyslog?.stop();
    await su?.end();
    await redis.quit();
    await db.$disconnect();
  });

  it("delivers every audit entry and security event as RFC 5424, in order per tenant", async () => {
    const sink = new SyslogSink(config(`rs-${stamp}`));
    const runsThatShipped = await drain(sink);
    await sink.close();

    // Other test files write audit entries of their own tenants meanwhile: wait for this test's 47.
    const mine = await rsyslog.waitFor(47, 20_000, (m) => m.sd.includes(tenantA) || m.sd.includes(tenantB));
    expect(auditSeqs(mine, tenantA)).toEqual(range(1, 30));
    expect(auditSeqs(mine, tenantB)).toEqual(range(1, 12));

    const first = mine.find((m) => m.msgid === "audit" && m.sd.includes(tenantA))!;
    const row = (await su.query("SELECT id, created_at, entry_hash FROM audit_logs WHERE tenant_id = $1 AND seq = 1", [tenantA])).rows[0];
    expect(first).toMatchObject({
      pri: "110", // facility 13 (log audit) * 8 + severity 6 (informational)
      version: "1",
      timestamp: new Date(row.created_at).toISOString(),
      hostname: `rs-${stamp}`,
      app: "modelgate",
      procid: String(process.pid),
      msgid: "audit",
    });
    expect(first.sd).toMatch(new RegExp(`^\\[modelgate@32473 tenant="${tenantA}" tenantSlug="ls-a-${stamp}" seq="1" action="key.create" outcome="success" actor="user:[0-9a-f-]+" requestId="req-[0-9a-f-]+"\\]$`));
    expect(JSON.parse(first.msg)).toMatchObject({ type: "audit", tenant_id: tenantA, seq: "1", id: row.id, entry_hash: row.entry_hash, details: { after: { scopes: ["inference"] } } });

    // The raw message is what ModelGate wrote: rsyslog kept it byte for byte.
    expect(rsyslog.raw().some((l) => l.startsWith("<110>1 ") && l.includes(`seq="1"`) && l.includes(tenantA))).toBe(true);

    const security = mine.filter((m) => m.msgid === "security");
    expect(security).toHaveLength(5);
    expect(security.every((m) => m.pri === "108" && /code="ip_not_allowed" status="403"/.test(m.sd))).toBe(true);
    const times = security.map((m) => m.timestamp);
    expect([...times].sort()).toEqual(times);

    // Cross-tenant reading went through the audited operator path: one platform entry per run that
    // shipped something (30 entries of A in batches of 7: 5 runs), none for the final run that found nothing.
    expect(runsThatShipped).toBe(5);
    const reads = await platformReads(`rs-${stamp}`);
    expect(reads).toHaveLength(5);
    expect(reads[0]).toEqual({ actor_type: "system", action: "operator.read", reason: `central log shipping to sink rs-${stamp}` });
  });

  it("a caught-up sink's runs and a stream that is backing off leave no platform audit entries", async () => {
    const name = `rs-quiet-${stamp}`;
    const sink = new SyslogSink(config(name));
    try {
      // Tenant A's audit stream is backing off: it is not read, everything else is shipped.
      const backingOff = [{ stream: "audit" as const, tenantId: tenantA }];
      const runs = await drain(sink, name, backingOff);
      expect(runs).toBeGreaterThan(0);
      const cursors = (await su.query("SELECT stream, source_tenant_id AS tenant FROM log_ship_cursors WHERE sink = $1", [name])).rows;
      expect(cursors.map((c) => `${c.stream}:${c.tenant}`).sort()).toEqual([`audit:${tenantB}`, `security:${tenantA}`]);
      expect(await platformReads(name)).toHaveLength(runs);

      // Idle runs (all caught up, or only the backing-off stream owed) record nothing.
      for (let i = 0; i < 3; i++) {
        expect(await shipOnce(sink, { db, batchSize: 7, maxRecords: 1000, securitySettleSeconds: 0, tenantIds: [tenantA, tenantB], exclude: backingOff })).toMatchObject({ shipped: 0, failures: [] });
      }
      expect(await platformReads(name)).toHaveLength(runs);

      // Its backoff over, tenant A's audit stream is read and shipped: recorded again.
      const more = await drain(sink, name);
      expect(more).toBeGreaterThan(0);
      expect(await platformReads(name)).toHaveLength(runs + more);
    } finally {
      await sink.close();
    }
  });

  it("a shipper that dies after a flush and before its cursor moved resends that batch, then carries on without gaps", async () => {
    const name = `rs-crash-${stamp}`;
    const real = new SyslogSink(config(name));
    let batches = 0;
    // Delivers tenant A's second audit batch to rsyslog, then "crashes" before the cursor is written.
    const crashing: Sink = {
      name,
      type: "syslog",
      async send(records: ShipRecord[]): Promise<SendResult> {
        const result = await real.send(records);
        if (records[0]!.stream === "audit" && records[0]!.tenantId === tenantA && ++batches === 2) throw new Error("worker killed");
        return result;
      },
      close: () => real.close(),
    };
    const before = rsyslog.parsed().length;
    let r = await shipOnce(crashing, { db, batchSize: 7, maxRecords: 1000, securitySettleSeconds: 0, tenantIds: [tenantA, tenantB] });
    while (r.failures.length === 0 && r.shipped > 0) r = await shipOnce(crashing, { db, batchSize: 7, maxRecords: 1000, securitySettleSeconds: 0, tenantIds: [tenantA, tenantB] });
    expect(r.sinkDown).toBe(true);
    await real.close();

    // More entries while it is down; a fresh shipper resumes from the cursors.
    await addAudit(db, tenantA, 8);
    const { logger } = capturingLogger();
    const shipper = startLogShipper({ db, redis, logger, sinks: [config(name)], intervalMs: 100, batchSize: 7, securitySettleSeconds: 0 });
    try {
      const deadline = Date.now() + 15_000;
      while (auditSeqs(rsyslog.parsed().slice(before), tenantA, name).filter((s) => s === 38).length === 0) {
        if (Date.now() > deadline) throw new Error("the restarted shipper did not catch up");
        await new Promise((res) => setTimeout(res, 100));
      }
    } finally {
      await shipper.close();
    }
    const seqs = auditSeqs(rsyslog.parsed().slice(before), tenantA, name);
    const { order, repeats } = firstSeen(seqs);
    expect(order).toEqual(range(1, 38));
    expect(repeats).toBeGreaterThan(0); // the crashed batch came again: at least once
    expect(repeats).toBeLessThanOrEqual(7); // ...and only that batch
    for (let i = 1; i < seqs.length; i++) {
      // each message follows its predecessor, or a resend restarts from an earlier position
      expect(seqs[i] === seqs[i - 1]! + 1 || seqs[i]! <= seqs[i - 1]!).toBe(true);
    }
    expect(auditSeqs(rsyslog.parsed().slice(before), tenantB, name)).toEqual(range(1, 12));
  });

  it("a graceful stop and restart of the shipper delivers each entry exactly once", async () => {
    const name = `rs-restart-${stamp}`;
    const before = rsyslog.parsed().length;
    const { logger } = capturingLogger();
    let shipper = startLogShipper({ db, redis, logger, sinks: [config(name)], intervalMs: 100, batchSize: 2, securitySettleSeconds: 0 });
    while (auditSeqs(rsyslog.parsed().slice(before), tenantA, name).length === 0) await new Promise((res) => setTimeout(res, 5));
    await shipper.close(); // mid-way: it stops after the run in progress
    const partial = auditSeqs(rsyslog.parsed().slice(before), tenantA, name).length;
    await addAudit(db, tenantA, 4);
    shipper = startLogShipper({ db, redis, logger, sinks: [config(name)], intervalMs: 100, batchSize: 2, securitySettleSeconds: 0 });
    try {
      const deadline = Date.now() + 15_000;
      while (!auditSeqs(rsyslog.parsed().slice(before), tenantA, name).includes(42)) {
        if (Date.now() > deadline) throw new Error("the restarted shipper did not catch up");
        await new Promise((res) => setTimeout(res, 100));
      }
    } finally {
      await shipper.close();
    }
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(38);
    expect(auditSeqs(rsyslog.parsed().slice(before), tenantA, name)).toEqual(range(1, 42));
  });

  it("over TLS (RFC 5425) to rsyslog's OpenSSL listener: delivered with the operator's CA, refused without it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "mg-syslog-tls-"));
    const cert = selfSignedCert(dir);
    const secure = await startRsyslog({ tls: cert });
    const tlsConfig = (name: string, caFile?: string) =>
      parseSinkConfigs(JSON.stringify([{ name, type: "syslog", host: "127.0.0.1", port: secure.port, tls: true, caFile, hostname: "mg-test-host" }]))[0] as SyslogSinkConfig;
    try {
      const untrusted = new SyslogSink(tlsConfig(`rs-tls-untrusted-${stamp}`));
      const refused = await shipOnce(untrusted, { db, batchSize: 50, maxRecords: 1000, securitySettleSeconds: 0, tenantIds: [tenantA, tenantB] });
      await untrusted.close();
      expect(refused.sinkDown).toBe(true);
      expect(refused.failures[0]!.error).toMatch(/self[- ]signed certificate/i);
      expect(await platformReads(`rs-tls-untrusted-${stamp}`)).toHaveLength(1); // a failed run is recorded
      expect((await su.query("SELECT count(*)::int AS n FROM log_ship_cursors WHERE sink = $1", [`rs-tls-untrusted-${stamp}`])).rows[0].n).toBe(0);

      const trusted = new SyslogSink(tlsConfig(`rs-tls-${stamp}`, cert.certFile));
      await drain(trusted);
      await trusted.close();
      const received = await secure.waitFor(1);
      await new Promise((r) => setTimeout(r, 200));
      expect(auditSeqs(secure.parsed(), tenantB)).toEqual(range(1, 12));
      expect(received[0]).toMatchObject({ version: "1", app: "modelgate", hostname: "mg-test-host" });
    } finally {
      await secure.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
