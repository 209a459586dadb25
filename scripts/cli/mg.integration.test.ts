import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { appDb } from "../../test/db-helpers";
import { testEnv } from "../../test/test-env";
import { lookupKeyByHash } from "../../lib/keys/lookup-key";
import { hashApiKey, isWellFormedApiKey } from "../../lib/keys/key-format";

const run = promisify(execFile);

/** Runs the real CLI as a script would; never throws, returns exit code and output. */
async function mg(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("node_modules/.bin/tsx", ["scripts/mg.ts", ...args], { env: { ...process.env, ...testEnv() } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("mg CLI", { timeout: 120_000 }, () => {
  const db = appDb(1);
  const slug = `cli-${Date.now().toString(36)}`;
  afterAll(() => db.$disconnect());

  it("provisions a tenant and a key, prints one JSON object each, and the key works", async () => {
    const tenant = await mg("tenant", "create", "--name", "CLI Corp", "--slug", slug, "--json");
    expect(tenant.code).toBe(0);
    expect(JSON.parse(tenant.stdout)).toMatchObject({ tenant: { slug, name: "CLI Corp", status: "active" } });

    const created = await mg("key", "create", "--tenant", slug, "--name", "ci", "--scopes", "inference,models:read", "--models", "echo", "--ips", "10.0.0.0/8,::1", "--rate", "100/60s", "--json");
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout);
    expect(key).toMatchObject({ name: "ci", scopes: ["inference", "models:read"], models: ["echo"], ips: ["10.0.0.0/8", "::1/128"], rateLimit: { requests: 100, windowSeconds: 60 }, status: "active" });
    expect(isWellFormedApiKey(key.key)).toBe(true);
    expect(await lookupKeyByHash(hashApiKey(key.key), db)).toMatchObject({ keyId: key.id, revoked: false });

    const listed = JSON.parse((await mg("key", "list", "--tenant", slug, "--json")).stdout);
    expect(listed.keys.map((k: { id: string }) => k.id)).toEqual([key.id]);
    expect(JSON.stringify(listed)).not.toContain(key.key);

    const rotated = await mg("key", "rotate", key.id, "--grace", "0s", "--json");
    expect(rotated.code).toBe(0);
    const next = JSON.parse(rotated.stdout);
    expect(next).toMatchObject({ id: key.id, generation: 2 });
    expect((await lookupKeyByHash(hashApiKey(key.key), db))!.validUntil!.getTime()).toBeLessThanOrEqual(Date.now());

    const revoked = await mg("key", "revoke", key.id, "--json");
    expect(JSON.parse(revoked.stdout)).toMatchObject({ id: key.id, status: "revoked" });
    expect((await lookupKeyByHash(hashApiKey(next.key), db))!.revoked).toBe(true);
  });

  it("reports errors on stderr with a non-zero exit: 1 for refused, 2 for usage", async () => {
    const taken = await mg("tenant", "create", "--name", "Again", "--slug", slug, "--json");
    expect(taken.code).toBe(1);
    expect(taken.stdout).toBe("");
    expect(JSON.parse(taken.stderr)).toMatchObject({ error: { code: "conflict", fields: { slug: `"${slug}" is already taken` } } });

    const badScope = await mg("key", "create", "--tenant", slug, "--name", "x", "--scopes", "root", "--json");
    expect(badScope.code).toBe(1);
    expect(JSON.parse(badScope.stderr).error.code).toBe("validation_failed");

    const unknownKey = await mg("key", "revoke", "00000000-0000-4000-8000-000000000000");
    expect(unknownKey).toMatchObject({ code: 1, stderr: "mg: API key not found\n" });

    expect((await mg("key", "create", "--tenant", slug, "--name", "x", "--scopes", "inference", "--rate", "fast")).code).toBe(2);
    expect((await mg("tenant", "frobnicate")).code).toBe(2);
    expect((await mg("key", "list", "--tenant", slug, "--bogus")).code).toBe(2);
  });

  it("tenant gateway shows and changes the tenant's gateway settings, refuses bad input, and is audited", async () => {
    const shown = await mg("tenant", "gateway", slug, "--json");
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout).gateway).toMatchObject({ ipAllowlist: [], redisFailureMode: "closed", rateLimit: null });

    const set = await mg("tenant", "gateway", slug, "--ips", "10.0.0.0/8,::ffff:192.0.2.1", "--rate", "500/60s", "--max-body", "65536", "--redis-failure", "open", "--json");
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout).gateway).toMatchObject({
      ipAllowlist: ["10.0.0.0/8", "192.0.2.1/32"],
      rateLimit: { requests: 500, windowSeconds: 60 },
      maxBodyBytes: 65536,
      redisFailureMode: "open",
    });
    const human = await mg("tenant", "gateway", slug, "--ips", "any", "--rate", "none");
    expect(human.stdout).toContain("IP allow-list   any address");
    expect(human.stdout).toContain("rate limit      none");

    const bad = await mg("tenant", "gateway", slug, "--ips", "10.0.0.0/33", "--json");
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stderr)).toMatchObject({ error: { code: "validation_failed", fields: { ipAllowlist: expect.stringContaining("10.0.0.0/33") } } });
    expect((await mg("tenant", "gateway", slug, "--redis-failure", "maybe")).code).toBe(2);

    const tenant = await db.tenant.findUniqueOrThrow({ where: { slug } });
    expect(tenant).toMatchObject({ ipAllowlist: [], rateLimitRequests: null, maxBodyBytes: 65536, redisFailureMode: "open" });
    const audit = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenant.id}, true)`;
      return tx.auditLog.findMany({ where: { tenantId: tenant.id, action: "tenant.gateway_update" }, orderBy: { seq: "asc" } });
    });
    expect(audit.map((e) => e.metadata)).toEqual([
      {
        before: { ipAllowlist: [], redisFailureMode: "closed", maxBodyBytes: 1048576, rateLimit: null },
        after: { ipAllowlist: ["10.0.0.0/8", "192.0.2.1/32"], redisFailureMode: "open", maxBodyBytes: 65536, rateLimit: { requests: 500, windowSeconds: 60 } },
      },
      { before: { ipAllowlist: ["10.0.0.0/8", "192.0.2.1/32"], rateLimit: { requests: 500, windowSeconds: 60 } }, after: { ipAllowlist: [], rateLimit: null } },
    ]);
  });
});
