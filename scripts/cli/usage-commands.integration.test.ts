import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb, insertTenantWithMember, superuser } from "../../test/db-helpers";
import { testEnv } from "../../test/test-env";
import { withTenant } from "../../lib/db/tenant-scope";
import { storeUsageBatch } from "../../lib/usage/ingest-usage";
import type { UsageRecord } from "../../lib/usage/usage-record";

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

describe("mg usage", { timeout: 120_000 }, () => {
  const db = appDb(1);
  const slug = `cli-usage-${Date.now().toString(36)}`;
  let su: pg.Client;
  let tenantId: string;
  const keyId = randomUUID();
  const otherKey = randomUUID();

  beforeAll(async () => {
    su = await superuser();
    tenantId = (await insertTenantWithMember(su, slug)).tenantId;
    await su.query("INSERT INTO api_keys (id, tenant_id, name, scopes, created_by_type) VALUES ($1, $2, 'nightly batch', '{inference}', 'system')", [keyId, tenantId]);
    const at = Date.parse("2026-06-01T12:00:00Z");
    const records: UsageRecord[] = Array.from({ length: 5 }, (_, i) => ({
      tenantId,
      keyId: i < 3 ? keyId : otherKey,
      requestId: `cli-${i}`,
      route: "openai.chat",
      model: i < 3 ? "echo" : "llama",
      status: i === 4 ? 429 : 200,
      latencyMs: 40,
      promptTokens: 8,
      completionTokens: 2,
      totalTokens: 10,
      at: at + i * 60_000,
    }));
    await withTenant(tenantId, (tx) => storeUsageBatch(tx, tenantId, records), db);
  });
  afterAll(async () => {
    await su.end();
    await db.$disconnect();
  });

  it("prints totals and rows by key as one JSON object", async () => {
    const r = await mg("usage", "--tenant", slug, "--from", "2026-06-01T00:00:00Z", "--to", "2026-06-02T00:00:00Z", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      tenant: slug,
      from: "2026-06-01T00:00:00.000Z",
      to: "2026-06-02T00:00:00.000Z",
      granularity: "hour",
      by: "key",
      totals: { requests: 5, errors: 1, totalTokens: 50, promptTokens: 40, completionTokens: 10 },
    });
    expect(out.series).toBeUndefined();
    expect(out.rows.map((row: { keyId: string; keyName: string | null; requests: number }) => [row.keyId, row.keyName, row.requests])).toEqual([
      [keyId, "nightly batch", 3],
      [otherKey, null, 2],
    ]);
  });

  it("groups by model, and prints a table without --json", async () => {
    const json = JSON.parse((await mg("usage", "--tenant", slug, "--from", "2026-06-01T11:00:00Z", "--to", "2026-06-01T13:00:00Z", "--by", "model", "--json")).stdout);
    expect(json.granularity).toBe("minute");
    expect(json.rows.map((row: { model: string; requests: number; errors: number }) => [row.model, row.requests, row.errors])).toEqual([
      ["echo", 3, 0],
      ["llama", 2, 1],
    ]);
    const human = await mg("usage", "--tenant", slug, "--from", "2026-06-01T00:00:00Z", "--to", "2026-06-02T00:00:00Z", "--by", "model");
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("5 requests, 1 errors, 50 tokens");
    expect(human.stdout).toMatch(/^MODEL\s+REQUESTS\s+ERRORS\s+TOKENS\s+P50\s+P95$/m);
    expect(human.stdout).toMatch(/^echo\s+3\s+0\s+30\s+/m);
  });

  it("limits the figures to one key and/or model; an unknown key is not_found", async () => {
    const range = ["--from", "2026-06-01T00:00:00Z", "--to", "2026-06-02T00:00:00Z"];
    const key = JSON.parse((await mg("usage", "--tenant", slug, ...range, "--key", keyId, "--by", "model", "--json")).stdout);
    expect(key.filter).toEqual({ keyId, keyName: "nightly batch", model: null });
    expect(key.totals.requests).toBe(3);
    expect(key.rows.map((row: { model: string }) => row.model)).toEqual(["echo"]);
    const model = JSON.parse((await mg("usage", "--tenant", slug, ...range, "--model", "llama", "--json")).stdout);
    expect(model.totals).toMatchObject({ requests: 2, errors: 1 });
    const human = await mg("usage", "--tenant", slug, ...range, "--key", keyId, "--model", "echo");
    expect(human.stdout).toContain(`usage of ${slug} (only key nightly batch, model echo) from`);
    expect(human.stdout).toContain("3 requests, 0 errors");
    const unknown = await mg("usage", "--tenant", slug, "--key", randomUUID(), "--json");
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr)).toMatchObject({ error: { code: "not_found" } });
  });

  it("refuses bad input with exit 1 and field errors, and an unknown tenant", async () => {
    const bad = await mg("usage", "--tenant", slug, "--from", "last tuesday", "--json");
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stderr)).toMatchObject({ error: { code: "validation_failed", fields: { from: expect.stringMatching(/ISO 8601/) } } });
    const by = await mg("usage", "--tenant", slug, "--by", "route", "--json");
    expect(JSON.parse(by.stderr)).toMatchObject({ error: { code: "validation_failed", fields: { by: "by must be key or model" } } });
    const missing = await mg("usage", "--tenant", "no-such-tenant-x", "--json");
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr)).toMatchObject({ error: { code: "not_found" } });
  });
});
