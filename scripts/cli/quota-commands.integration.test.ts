import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { appDb } from "../../test/db-helpers";
import { testEnv } from "../../test/test-env";
import { withTenant } from "../../lib/db/tenant-scope";

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

describe("mg quota / mg operator", { timeout: 120_000 }, () => {
  const db = appDb(1);
  const slug = `cliq-${Date.now().toString(36)}`;
  afterAll(() => db.$disconnect());

  it("sets a hard quota in a time zone, shows it with this period's use, replaces and clears it — audited", async () => {
    expect((await mg("tenant", "create", "--name", "Quota Corp", "--slug", slug, "--json")).code).toBe(0);

    const set = await mg("quota", "set", "--tenant", slug, "--period", "month", "--requests", "1000", "--tokens", "50000", "--hard", "--tz", "Europe/Berlin", "--json");
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({
      quota: { period: "month", timeZone: "Europe/Berlin", requests: { limit: 1000, hard: true }, tokens: { limit: 50000, hard: true } },
    });

    const shown = JSON.parse((await mg("quota", "show", "--tenant", slug, "--json")).stdout);
    expect(shown).toMatchObject({ timeZone: "Europe/Berlin", quota: { period: "month" }, current: { period: "month", requests: 0, tokens: 0 }, history: [] });
    expect(shown.current.periodKey).toMatch(/^\d{4}-\d{2}$/);

    const human = await mg("quota", "show", "--tenant", slug);
    expect(human.stdout).toContain("per month (Europe/Berlin): 1,000 requests (hard: deny), 50,000 tokens (hard: deny)");

    const soft = JSON.parse((await mg("quota", "set", "--tenant", slug, "--period", "day", "--requests", "10", "--json")).stdout);
    expect(soft.quota).toEqual({ period: "day", timeZone: "Europe/Berlin", requests: { limit: 10, hard: false }, tokens: null });

    expect((await mg("quota", "clear", "--tenant", slug, "--json")).code).toBe(0);
    expect(JSON.parse((await mg("quota", "show", "--tenant", slug, "--json")).stdout)).toMatchObject({ quota: null, current: null });

    const tenant = await db.tenant.findUniqueOrThrow({ where: { slug } });
    const actions = await withTenant(tenant.id, (tx) => tx.auditLog.findMany({ where: { tenantId: tenant.id, action: { startsWith: "quota." } }, orderBy: { createdAt: "asc" } }), db);
    expect(actions.map((a) => a.action)).toEqual(["quota.update", "quota.update", "quota.delete"]);
    expect(actions[0]).toMatchObject({ actorType: "system", metadata: { before: null, after: { period: "month" } } });
  });

  it("refuses bad input with exit code 2 (usage) or 1 (refused), on stderr", async () => {
    const noPeriod = await mg("quota", "set", "--tenant", slug, "--requests", "5", "--json");
    expect(noPeriod.code).toBe(2);
    expect(JSON.parse(noPeriod.stderr)).toMatchObject({ error: { code: "usage" } });
    expect((await mg("quota", "set", "--tenant", slug, "--period", "day", "--requests", "0")).code).toBe(2);
    const badZone = await mg("quota", "set", "--tenant", slug, "--period", "day", "--requests", "5", "--tz", "Mars/Olympus", "--json");
    expect(badZone.code).toBe(1);
    expect(JSON.parse(badZone.stderr)).toMatchObject({ error: { code: "validation_failed", fields: { timeZone: expect.stringContaining("IANA") } } });
    const unknown = await mg("quota", "show", "--tenant", "no-such-tenant", "--json");
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr)).toMatchObject({ error: { code: "not_found" } });
  });

  it("grants and revokes the platform operator flag", async () => {
    const email = `op-${Date.now().toString(36)}@example.test`;
    await db.user.create({ data: { email, name: "Op" } });
    const granted = await mg("operator", "grant", email, "--json");
    expect(JSON.parse(granted.stdout)).toMatchObject({ user: { email, isOperator: true }, changed: true });
    expect(JSON.parse((await mg("operator", "grant", email, "--json")).stdout)).toMatchObject({ changed: false });
    expect(JSON.parse((await mg("operator", "revoke", email, "--json")).stdout)).toMatchObject({ user: { isOperator: false }, changed: true });
    expect((await mg("operator", "grant", "nobody@example.test")).code).toBe(1);
  });
});
