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
});
