import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { superuser } from "../../test/db-helpers";
import { testEnv } from "../../test/test-env";

const run = promisify(execFile);

async function mg(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("node_modules/.bin/tsx", ["scripts/mg.ts", ...args], { env: { ...process.env, ...testEnv() } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("mg retention", { timeout: 120_000 }, () => {
  const slug = `cli-ret-${Date.now().toString(36)}`;
  let su: pg.Client;
  let tenantId: string;

  beforeAll(async () => {
    su = await superuser();
    expect((await mg("tenant", "create", "--name", "Retention CLI", "--slug", slug, "--json")).code).toBe(0);
    tenantId = (await su.query("SELECT id FROM tenants WHERE slug = $1", [slug])).rows[0].id;
    await su.query(
      `INSERT INTO security_events (tenant_id, request_id, code, status, method, path, created_at)
       SELECT $1, 'r-' || g, 'forbidden', 403, 'POST', '/v1/chat/completions', now() - g * interval '1 day' + interval '12 hours'
       FROM generate_series(1, 40) g`,
      [tenantId],
    );
  });

  afterAll(() => su.end());

  it("shows the defaults, sets a class, runs now and deletes exactly what expired", async () => {
    const shown = await mg("retention", "show", "--tenant", slug, "--json");
    expect(shown.code).toBe(0);
    const before = JSON.parse(shown.stdout);
    expect(before.classes.map((c: { dataClass: string; days: number; isDefault: boolean }) => [c.dataClass, c.days, c.isDefault])).toEqual([
      ["usage_events", 30, true],
      ["usage_rollups", 400, true],
      ["security_events", 90, true],
      ["audit_logs", 365, true],
    ]);

    const set = await mg("retention", "set", "--tenant", slug, "--class", "security_events", "--days", "10", "--json");
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout).classes.find((c: { dataClass: string }) => c.dataClass === "security_events")).toMatchObject({ days: 10, isDefault: false });
    const audited = await su.query("SELECT actor_type, actor_id, metadata FROM audit_logs WHERE tenant_id = $1 AND action = 'retention.update'", [tenantId]);
    expect(audited.rows).toHaveLength(1);
    expect(audited.rows[0]).toMatchObject({ actor_type: "system", metadata: { after: { security_events: { days: 10, default: false } } } });
    expect(audited.rows[0].actor_id).toMatch(/^cli:/);

    const ran = await mg("retention", "run", "--tenant", slug, "--json");
    expect(ran.code).toBe(0);
    const result = JSON.parse(ran.stdout);
    expect(result.classes.find((c: { dataClass: string }) => c.dataClass === "security_events")).toMatchObject({ status: "succeeded", deletedCount: 30 });
    const left = await su.query("SELECT count(*)::int AS n FROM security_events WHERE tenant_id = $1", [tenantId]);
    expect(left.rows[0].n).toBe(10);

    const human = await mg("retention", "show", "--tenant", slug);
    expect(human.stdout).toMatch(/security_events\s+10\s+/);
    expect(human.stdout).toMatch(/succeeded\s+30/);

    const reset = await mg("retention", "set", "--tenant", slug, "--class", "security_events", "--days", "default", "--json");
    expect(JSON.parse(reset.stdout).classes.find((c: { dataClass: string }) => c.dataClass === "security_events")).toMatchObject({ days: 90, isDefault: true });
  });

  it("refuses the audit trail below the platform minimum (1) and bad arguments (2)", async () => {
    const low = await mg("retention", "set", "--tenant", slug, "--class", "audit_logs", "--days", "30", "--json");
    expect(low.code).toBe(1);
    expect(JSON.parse(low.stderr)).toMatchObject({ error: { code: "validation_failed", fields: { audit_logs: expect.stringMatching(/at least 365 days/) } } });

    expect((await mg("retention", "set", "--tenant", slug, "--class", "logs", "--days", "3")).code).toBe(2);
    expect((await mg("retention", "set", "--tenant", slug, "--class", "usage_events", "--days", "soon")).code).toBe(2);
    expect((await mg("retention", "set", "--tenant", slug, "--class", "usage_events", "--days", "0")).code).toBe(1);
    expect((await mg("retention", "purge", "--tenant", slug)).code).toBe(2);
    expect(await mg("retention", "show", "--tenant", "no-such-tenant")).toMatchObject({ code: 1, stderr: 'mg: Tenant "no-such-tenant" not found\n' });
  });
});
