/**
 * The benchmark's own database (`modelgate_bench`, never the dev or test one),
 * migrated with the project's migrator, holding one tenant "bench" with a
 * model "echo" that points at the bench backend and a fresh API key with the
 * full policy in play: scope `inference`, an IP allow-list on the key and on
 * the tenant, and per-key and per-tenant rate limits high enough never to
 * deny during the run (so the limiter's hot path is measured, not its 429s).
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { createPrismaClient } from "../lib/db/client";
import { migrate } from "../lib/db/migrate";
import { createApiKey } from "../lib/keys/create-key";
import { assertLocalDatabase } from "../test/assert-local-database";

export const BENCH_DATABASE = "modelgate_bench";
export const HIGH_LIMIT = { requests: 1_000_000, windowSeconds: 3600 };

export function benchDatabaseUrls(): { migration: string; app: string } {
  const migration = process.env.BENCH_MIGRATION_DATABASE_URL ?? `postgresql://postgres@127.0.0.1:5432/${BENCH_DATABASE}`;
  const app = process.env.BENCH_DATABASE_URL ?? `postgresql://modelgate_app@127.0.0.1:5432/${BENCH_DATABASE}`;
  for (const url of [migration, app]) {
    assertLocalDatabase(url);
    if (!new URL(url).pathname.startsWith(`/${BENCH_DATABASE}`)) throw new Error(`the bench only uses a database named ${BENCH_DATABASE}*`);
  }
  return { migration, app };
}

export type BenchTenant = { tenantId: string; keyId: string; secret: string };

export async function prepareBenchTenant(backendOrigin: string): Promise<BenchTenant> {
  const urls = benchDatabaseUrls();
  await migrate(urls.migration);
  const admin = new pg.Client({ connectionString: urls.migration });
  await admin.connect();
  let tenantId: string;
  try {
    // Set-up rows as the owner (the bench database is ours); the key goes through lib/keys like any other.
    const tenant = await admin.query<{ id: string }>(
      `INSERT INTO tenants (id, name, slug, ip_allowlist, rate_limit_requests, rate_limit_window_seconds)
       VALUES ($1, 'Bench', 'bench', $2, $3, $4)
       ON CONFLICT (slug) DO UPDATE SET status = 'active', suspended_at = NULL, ip_allowlist = EXCLUDED.ip_allowlist,
         rate_limit_requests = EXCLUDED.rate_limit_requests, rate_limit_window_seconds = EXCLUDED.rate_limit_window_seconds
       RETURNING id`,
      [randomUUID(), ["127.0.0.0/8"], HIGH_LIMIT.requests, HIGH_LIMIT.windowSeconds],
    );
    tenantId = tenant.rows[0]!.id;
    // The model and its version "v1" (the default, no canary split).
    const model = await admin.query<{ id: string }>(
      `INSERT INTO models (tenant_id, name, protocol) VALUES ($1, 'echo', 'openai')
       ON CONFLICT (tenant_id, name) DO UPDATE SET enabled = true, canary_version_id = NULL, canary_percent = NULL, updated_at = now()
       RETURNING id`,
      [tenantId],
    );
    const version = await admin.query<{ id: string }>(
      `INSERT INTO model_versions (tenant_id, model_id, label, backend_url, max_concurrency) VALUES ($1, $2, 'v1', $3, 10000)
       ON CONFLICT (tenant_id, model_id, label) DO UPDATE SET backend_url = EXCLUDED.backend_url, max_concurrency = EXCLUDED.max_concurrency,
         credential_kind = NULL, credential_header = NULL, credential_secret = NULL, updated_at = now()
       RETURNING id`,
      [tenantId, model.rows[0]!.id, `${backendOrigin}/v1`],
    );
    await admin.query("UPDATE models SET default_version_id = $2 WHERE id = $1", [model.rows[0]!.id, version.rows[0]!.id]);
  } finally {
    await admin.end();
  }
  const db = createPrismaClient({ connectionString: urls.app, max: 2 });
  try {
    const { key, secret } = await createApiKey(
      tenantId,
      { name: `bench ${new Date().toISOString()}`, scopes: ["inference"], ips: ["127.0.0.1/32"], rateLimit: HIGH_LIMIT },
      { actor: { type: "system", id: "bench" } },
      db,
    );
    return { tenantId, keyId: key.id, secret };
  } finally {
    await db.$disconnect();
  }
}
