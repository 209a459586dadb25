import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertTenantWithMember, superuser, tamperAsSuperuser } from "../../test/db-helpers";
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

describe("mg audit", { timeout: 120_000 }, () => {
  let su: pg.Client;
  const stamp = Date.now().toString(36);
  let slug = "";
  let tenantId = "";

  beforeAll(async () => {
    su = await superuser();
    slug = `audit-cli-${stamp}`;
    tenantId = (await insertTenantWithMember(su, slug)).tenantId;
    for (let i = 0; i < 4; i++) {
      await su.query("INSERT INTO audit_logs (tenant_id, action, actor_type, metadata) VALUES ($1, 'key.create', 'system', $2)", [tenantId, JSON.stringify({ i })]);
    }
  });
  afterAll(() => su.end());

  it("prints N/M valid and exits 0 for an intact chain; checkpoint signs the head", async () => {
    const cp = await mg("audit", "checkpoint", "--tenant", slug, "--json");
    expect(cp.code).toBe(0);
    expect(JSON.parse(cp.stdout)).toMatchObject({ seq: 5, created: true, tenantId });
    expect((await mg("audit", "checkpoint", "--tenant", slug, "--json")).stdout).toContain('"created":false');
    const ok = await mg("audit", "verify", "--tenant", slug);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.stdout).toContain(`${slug}: 5/5 valid (seq 1-5; 1 checkpoint verified)`);
  });

  it("says so and exits 0 for a tenant with no entries", async () => {
    const empty = `audit-cli-empty-${stamp}`;
    await su.query("INSERT INTO tenants (name, slug) VALUES ('Empty', $1)", [empty]);
    const r = await mg("audit", "verify", "--tenant", empty);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout.trim()).toBe(`${empty}: no audit entries`);
  });

  it("exits 2 on a usage error", async () => {
    expect((await mg("audit", "verify", "--tenant", slug, "--from", "yesterday")).code).toBe(2);
    expect((await mg("audit", "verify", "--tenant", slug, "--from", "2026-12-01T00:00:00Z", "--to", "2026-11-01T00:00:00Z")).code).toBe(2);
    expect((await mg("audit", "frobnicate")).code).toBe(2);
  });

  it("names the first broken entry and exits 1 after tampering; --json carries the reason", async () => {
    await tamperAsSuperuser(su, "UPDATE audit_logs SET outcome = 'failure' WHERE tenant_id = $1 AND seq = 3", [tenantId]);
    const r = await mg("audit", "verify", "--tenant", slug);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${slug}: BROKEN at seq 3 (edited`);
    expect(r.stdout).toContain("2/5 valid before the break");
    const json = await mg("audit", "verify", "--tenant", slug, "--json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: false, tenants: [{ status: "broken", broken: { seq: 3, reason: "edited" } }] });
  });
});
