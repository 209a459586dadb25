import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb, superuser } from "../../test/db-helpers";
import { startHecReceiver } from "../../test/support/log-receivers";
import { addAudit, createTenant } from "../../test/support/log-shipping-fixtures";
import { testEnv } from "../../test/test-env";
import { shipOnce } from "../../lib/log-shipping/ship-run";
import { SplunkSink } from "../../lib/log-shipping/splunk-sink";
import { parseSinkConfigs, type SplunkSinkConfig } from "../../lib/log-shipping/sink-config";

const run = promisify(execFile);
const TOKEN = "cli-hec-token-never-printed";

describe("mg sink status", { timeout: 60_000 }, () => {
  const db = appDb(2);
  const stamp = Date.now().toString(36);
  const name = `cli-${stamp}`;
  let su: pg.Client;
  let hec: Awaited<ReturnType<typeof startHecReceiver>>;

  beforeAll(async () => {
    su = await superuser();
    hec = await startHecReceiver({ token: TOKEN });
    const tenant = await createTenant(su, `lc-${stamp}`);
    await addAudit(db, tenant, 3);
  });
  afterAll(async () => {
    await hec.close();
    await su.end();
    await db.$disconnect();
  });

  async function status() {
    const sinks = JSON.stringify([{ name, type: "splunk", url: hec.url, token: TOKEN }]);
    const { stdout, stderr } = await run("node_modules/.bin/tsx", ["scripts/mg.ts", "sink", "status", "--json"], {
      env: { ...process.env, ...testEnv(), LOG_SINKS: sinks, LOG_SHIP_SECURITY_SETTLE_SECONDS: "0" },
    });
    expect(stdout + stderr).not.toContain(TOKEN);
    return JSON.parse(stdout) as { sinks: { name: string; type: string; target: string; streams: Record<string, { pending: number; shipped: number; laggingTenants: number }> }[] };
  }

  it("shows what each sink still owes, without its token, and zero once shipped", async () => {
    const total = (await su.query("SELECT count(*)::int AS n FROM audit_logs")).rows[0].n as number;
    const before = await status();
    expect(before.sinks).toEqual([
      expect.objectContaining({ name, type: "splunk", target: hec.url, streams: expect.objectContaining({ audit: expect.objectContaining({ pending: total, shipped: 0 }) }) }),
    ]);
    expect(before.sinks[0]!.streams.audit!.laggingTenants).toBeGreaterThanOrEqual(1);

    const sink = new SplunkSink(parseSinkConfigs(JSON.stringify([{ name, type: "splunk", url: hec.url, token: TOKEN }]))[0] as SplunkSinkConfig);
    while ((await shipOnce(sink, { db, batchSize: 500, maxRecords: 10_000, securitySettleSeconds: 0 })).shipped > 0);
    await sink.close();

    const after = await status();
    expect(after.sinks[0]!.streams.audit).toMatchObject({ pending: 0, laggingTenants: 0, shipped: total });
    expect(after.sinks[0]!.streams.security!.pending).toBe(0);
  });
});
