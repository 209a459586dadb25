import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { appDb } from "../../test/db-helpers";
import { testEnv } from "../../test/test-env";
import { withTenant } from "../../lib/db/tenant-scope";
import { loadRoutingTable } from "../../lib/models/model-routing";

const run = promisify(execFile);

async function mg(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("node_modules/.bin/tsx", ["scripts/mg.ts", ...args], { env: { ...process.env, ...testEnv(), ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("mg model", { timeout: 180_000 }, () => {
  const db = appDb(1);
  const stamp = Date.now().toString(36);
  const owner = `cli-models-${stamp}`;
  const grantee = `cli-grantee-${stamp}`;
  afterAll(() => db.$disconnect());

  it("creates, lists, updates (URL, split, enabled) and grants a model; audited as the CLI; the credential only from the environment", async () => {
    for (const slug of [owner, grantee]) expect((await mg(["tenant", "create", "--name", slug, "--slug", slug, "--json"])).code).toBe(0);

    const created = await mg(
      ["model", "create", "--tenant", owner, "--name", "llm", "--protocol", "openai", "--url", "http://127.0.0.1:8090/v1", "--credential-from-env", "LLM_TOKEN", "--visibility", "shared", "--json"],
      { LLM_TOKEN: "cli-secret-token" },
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).not.toContain("cli-secret-token");
    const model = JSON.parse(created.stdout);
    expect(model).toMatchObject({ name: "llm", protocol: "openai", defaultVersion: "v1", versions: [{ credential: { kind: "bearer" } }] });
    const tenantId = (await db.tenant.findUniqueOrThrow({ where: { slug: owner } })).id;
    expect((await loadRoutingTable(tenantId, db))[0]!.primary.credential).toEqual({ name: "authorization", value: "Bearer cli-secret-token" });

    expect((await mg(["model", "add-version", model.id, "--version", "v2", "--url", "http://127.0.0.1:8091/v1", "--json"])).code).toBe(0);
    const updated = await mg(["model", "update", model.id, "--url", "http://127.0.0.1:8092/v1", "--split", "v1:80,v2:20", "--enabled", "false", "--json"]);
    expect(updated.code, updated.stderr).toBe(0);
    expect(JSON.parse(updated.stdout)).toMatchObject({
      enabled: false,
      split: { versions: [{ version: "v1", percent: 80 }, { version: "v2", percent: 20 }] },
      versions: [{ label: "v1", url: "http://127.0.0.1:8092/v1" }, { label: "v2" }],
    });
    const rollback = JSON.parse((await mg(["model", "update", model.id, "--split", "none", "--json"])).stdout);
    expect(rollback.split).toBeNull();

    const listed = await mg(["model", "list", "--tenant", owner]);
    expect(listed.stdout).toMatch(/llm\s+openai\s+disabled\s+v1:100\s+shared/);

    const granted = await mg(["model", "grant", "--model", model.id, "--tenant", grantee, "--json"]);
    expect(granted.code, granted.stderr).toBe(0);
    expect(JSON.parse(granted.stdout)).toMatchObject({ modelId: model.id, tenant: { slug: grantee } });
    const seen = JSON.parse((await mg(["model", "list", "--tenant", grantee, "--json"])).stdout);
    expect(seen.models).toMatchObject([{ name: "llm", access: "granted", versions: [] }]);
    expect(JSON.parse((await mg(["model", "grants", "--model", model.id, "--json"])).stdout).grants).toHaveLength(1);
    expect(JSON.parse((await mg(["model", "revoke-grant", "--model", model.id, "--tenant", grantee, "--json"])).stdout)).toMatchObject({ revoked: true });

    const audit = await withTenant(tenantId, (tx) => tx.auditLog.findMany({ where: { targetId: model.id }, orderBy: { createdAt: "asc" } }), db);
    expect(audit.map((a) => a.action)).toEqual(["model.create", "model.version_create", "model.version_update", "model.update", "model.split_set", "model.split_clear"]);
    expect(new Set(audit.map((a) => `${a.actorType}:${a.actorId?.startsWith("cli:")}`))).toEqual(new Set(["system:true"]));
    expect(JSON.stringify(audit.map((a) => a.metadata))).not.toContain("cli-secret-token");
  });

  it("refuses bad input (exit 1, field errors on stderr) and bad usage (exit 2)", async () => {
    const badProtocol = await mg(["model", "create", "--tenant", owner, "--name", "x", "--protocol", "grpc", "--url", "http://127.0.0.1:1/", "--json"]);
    expect(badProtocol.code).toBe(1);
    expect(JSON.parse(badProtocol.stderr).error).toMatchObject({ code: "validation_failed", fields: { protocol: expect.any(String) } });
    const ssrf = await mg(["model", "create", "--tenant", owner, "--name", "x", "--protocol", "openai", "--url", "http://169.254.169.254/", "--json"]);
    expect(JSON.parse(ssrf.stderr).error.code).toBe("backend_url_forbidden");
    const dup = await mg(["model", "create", "--tenant", owner, "--name", "llm", "--protocol", "openai", "--url", "http://127.0.0.1:1/", "--json"]);
    expect(JSON.parse(dup.stderr).error).toMatchObject({ code: "conflict", fields: { name: expect.any(String) } });
    expect((await mg(["model", "create", "--tenant", owner, "--name", "x", "--protocol", "openai", "--url", "http://127.0.0.1:1/", "--credential-from-env", "UNSET_VAR_XYZ"])).code).toBe(2);
    expect((await mg(["model", "update", "00000000-0000-4000-8000-000000000000", "--enabled", "true"])).stderr).toBe("mg: Model not found\n");
    expect((await mg(["model", "frobnicate"])).code).toBe(2);
  });
});
