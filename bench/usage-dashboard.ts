/**
 * The usage dashboard's queries over 10 million usage events of one tenant
 * (target: each at most 300 ms of server time).
 *
 * Seeds, once, tenant "bench-usage" in the bench database (modelgate_bench,
 * never the dev or test one): BENCH_USAGE_EVENTS events (default 10,000,000)
 * spread over the 30 days before the seed, 8 keys x 3 models, ~2% 5xx and
 * ~4% 429, a long-tailed latency, with generate_series in SQL; then their
 * minute, hour and day rollups with the same aggregates as the usage worker
 * (lib/usage/ingest-usage.ts). A later run finds them and skips the seed
 * (BENCH_USAGE_RESEED=1 seeds again).
 *
 * Then times what GET /api/v1/tenants/{slug}/usage runs (lib/usage/query-usage.ts
 * through withTenant, as the application role, RLS on) for the dashboard's
 * ranges, ending at the seed's last event, by key and by model: 1 warm-up and
 * BENCH_USAGE_RUNS runs (default 7) each, median and max wall time in this
 * process (Postgres on the same machine, so this is server time plus a local
 * round trip), and Postgres's own execution time of the series query
 * (EXPLAIN ANALYZE).
 *
 *   npx tsx bench/usage-dashboard.ts       (also run at the end of `npm run bench`; BENCH_USAGE=0 skips it there)
 */
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { createPrismaClient } from "../lib/db/client";
import { migrate } from "../lib/db/migrate";
import { withTenant } from "../lib/db/tenant-scope";
import { ROLLUP_AGGREGATES, ROLLUP_COUNTERS, rollupKeyColumns } from "../lib/usage/ingest-usage";
import { queryUsage } from "../lib/usage/query-usage";
import { resolveUsageRange } from "../lib/usage/usage-range";
import type { UsageGrouping } from "../lib/usage/usage-schemas";
import { benchDatabaseUrls } from "./bench-db";

const EVENTS = Math.max(1_000, Number(process.env.BENCH_USAGE_EVENTS) || 10_000_000);
const RUNS = Math.min(50, Math.max(1, Number(process.env.BENCH_USAGE_RUNS) || 7));
const TARGET_MS = 300;
const SLUG = "bench-usage";
const DAY = 86_400_000;
const KEYS = 8;
const MODELS = ["gpt-bench", "llama-bench", "embed-bench"];
const CHUNK = 1_000_000;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function ensureTenant(admin: pg.Client): Promise<{ tenantId: string; keyIds: string[] }> {
  const tenant = await admin.query<{ id: string }>(
    `INSERT INTO tenants (id, name, slug) VALUES ($1, 'Bench usage', $2)
     ON CONFLICT (slug) DO UPDATE SET status = 'active' RETURNING id`,
    [randomUUID(), SLUG],
  );
  const tenantId = tenant.rows[0]!.id;
  const existing = await admin.query<{ id: string }>("SELECT id FROM api_keys WHERE tenant_id = $1 ORDER BY name", [tenantId]);
  if (existing.rows.length >= KEYS) return { tenantId, keyIds: existing.rows.slice(0, KEYS).map((r) => r.id) };
  const keyIds: string[] = [];
  for (let i = 0; i < KEYS; i++) {
    const row = await admin.query<{ id: string }>(
      "INSERT INTO api_keys (tenant_id, name, scopes, created_by_type) VALUES ($1, $2, '{inference}', 'system') RETURNING id",
      [tenantId, `bench key ${String(i + 1).padStart(2, "0")}`],
    );
    keyIds.push(row.rows[0]!.id);
  }
  return { tenantId, keyIds };
}

/** The seeded events' time span, or null when the tenant does not hold exactly EVENTS of them. */
async function seededSpan(admin: pg.Client, tenantId: string): Promise<{ first: Date; last: Date } | null> {
  const { rows } = await admin.query<{ n: string; first: Date | null; last: Date | null }>(
    "SELECT count(*) AS n, min(occurred_at) AS first, max(occurred_at) AS last FROM usage_events WHERE tenant_id = $1",
    [tenantId],
  );
  const r = rows[0]!;
  return Number(r.n) === EVENTS && r.first && r.last ? { first: r.first, last: r.last } : null;
}

async function seed(admin: pg.Client, tenantId: string, keyIds: string[]): Promise<{ first: Date; last: Date }> {
  const started = Date.now();
  await admin.query("DELETE FROM usage_rollups WHERE tenant_id = $1", [tenantId]);
  await admin.query("DELETE FROM usage_events WHERE tenant_id = $1", [tenantId]);
  await admin.query("SET synchronous_commit = off");
  const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const stepMs = (30 * DAY) / EVENTS;
  for (let from = 1; from <= EVENTS; from += CHUNK) {
    const to = Math.min(EVENTS, from + CHUNK - 1);
    // Deterministic but mixed: key, model and status from g; latency mostly 20-400 ms, one in 97 slow (1-6 s).
    await admin.query(
      `INSERT INTO usage_events (tenant_id, request_id, key_id, route, model, status, latency_ms, prompt_tokens, completion_tokens, total_tokens, occurred_at)
       SELECT $1, 'bench-' || g, ($2::uuid[])[1 + (g * 7) % ${KEYS}], 'openai.chat', ($3::text[])[1 + (g / 5) % ${MODELS.length}],
              CASE WHEN g % 50 = 0 THEN 502 WHEN g % 25 = 3 THEN 429 ELSE 200 END,
              CASE WHEN g % 97 = 0 THEN 1000 + (g * 31) % 5000 ELSE 20 + ((g * 7919) % 381) END,
              20 + g % 200, 5 + (g * 13) % 300, 25 + g % 200 + (g * 13) % 300,
              $4::timestamptz - (($5::bigint - g) * $6::float8) * interval '1 millisecond'
         FROM generate_series($7::bigint, $8::bigint) AS g`,
      [tenantId, keyIds, MODELS, end, EVENTS, stepMs, from, to],
    );
    process.stdout.write(`  seeded ${to.toLocaleString("en-US")} events (${seconds(Date.now() - started)})\n`);
  }
  for (const granularity of ["day", "hour", "minute"]) {
    const t = Date.now();
    const inserted = await admin.query(
      `INSERT INTO usage_rollups (tenant_id, granularity, bucket_start, key_id, model, status_class, ${ROLLUP_COUNTERS.join(", ")})
       SELECT $1, '${granularity}', ${rollupKeyColumns(`'${granularity}'`)}, ${ROLLUP_AGGREGATES}
         FROM usage_events i WHERE i.tenant_id = $1
        GROUP BY 3, 4, 5, 6`,
      [tenantId],
    );
    process.stdout.write(`  rolled up ${granularity}: ${inserted.rowCount?.toLocaleString("en-US")} rows (${seconds(Date.now() - t)})\n`);
  }
  await admin.query("ANALYZE usage_events");
  await admin.query("ANALYZE usage_rollups");
  process.stdout.write(`  seed done in ${seconds(Date.now() - started)}\n`);
  return (await seededSpan(admin, tenantId))!;
}

type Case = { label: string; spanMs: number; by: UsageGrouping };
const CASES: Case[] = [
  { label: "last 6 h (minute buckets)", spanMs: 6 * 3_600_000, by: "key" },
  { label: "last 24 h (hour buckets)", spanMs: DAY, by: "key" },
  { label: "last 24 h (hour buckets)", spanMs: DAY, by: "model" },
  { label: "last 7 days (hour buckets)", spanMs: 7 * DAY, by: "key" },
  { label: "last 30 days (day buckets)", spanMs: 30 * DAY, by: "key" },
  { label: "last 30 days (day buckets)", spanMs: 30 * DAY, by: "model" },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runUsageDashboardBench(): Promise<{ worstMedianMs: number }> {
  const urls = benchDatabaseUrls();
  console.log(`\nusage dashboard: ${EVENTS.toLocaleString("en-US")} usage events of one tenant (database ${new URL(urls.app).pathname.slice(1)})`);
  await migrate(urls.migration);
  const admin = new pg.Client({ connectionString: urls.migration });
  await admin.connect();
  let tenantId: string;
  let span: { first: Date; last: Date } | null;
  let rollups: number;
  try {
    const t = await ensureTenant(admin);
    tenantId = t.tenantId;
    span = process.env.BENCH_USAGE_RESEED === "1" ? null : await seededSpan(admin, tenantId);
    if (span) console.log(`  found the seed: ${span.first.toISOString()} – ${span.last.toISOString()}`);
    else span = await seed(admin, tenantId, t.keyIds);
    rollups = Number((await admin.query("SELECT count(*) AS n FROM usage_rollups WHERE tenant_id = $1", [tenantId])).rows[0].n);
  } finally {
    await admin.end();
  }

  const db = createPrismaClient({ connectionString: urls.app, max: 2 });
  const rows: string[][] = [];
  let worst = 0;
  try {
    const end = new Date(span.last.getTime() + 1);
    for (const c of CASES) {
      const range = resolveUsageRange({ from: new Date(end.getTime() - c.spanMs), to: end }, end);
      const run = () => withTenant(tenantId, (tx) => queryUsage(tx, tenantId, range, c.by), db);
      const warm = await run();
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await run();
        times.push(performance.now() - t);
      }
      const explained = await withTenant(
        tenantId,
        (tx) =>
          tx.$queryRawUnsafe<{ "QUERY PLAN": unknown }[]>(
            "EXPLAIN (ANALYZE, FORMAT JSON) SELECT bucket_start, sum(requests) FROM usage_rollups WHERE tenant_id = $1::uuid AND granularity = $2 AND bucket_start >= $3 AND bucket_start < $4 GROUP BY bucket_start",
            tenantId,
            range.granularity,
            range.from,
            range.to,
          ),
        db,
      );
      const plan = (explained[0]!["QUERY PLAN"] as [{ "Execution Time": number }])[0];
      const med = median(times);
      worst = Math.max(worst, med);
      rows.push([
        c.label,
        c.by,
        warm.totals.requests.toLocaleString("en-US"),
        String(warm.series.length),
        med.toFixed(1),
        Math.max(...times).toFixed(1),
        plan["Execution Time"].toFixed(1),
        med <= TARGET_MS ? "yes" : "NO",
      ]);
    }
  } finally {
    await db.$disconnect();
  }
  console.log(`  rollup rows of the tenant: ${rollups.toLocaleString("en-US")}; ${RUNS} runs per case after a warm-up\n`);
  const header = ["range", "by", "requests counted", "points", "median ms", "max ms", "series query in Postgres ms", `≤ ${TARGET_MS} ms`];
  console.log(`| ${header.join(" | ")} |`);
  console.log(`| ${header.map((_, i) => (i < 2 ? "---" : "---:")).join(" | ")} |`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
  return { worstMedianMs: worst };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await runUsageDashboardBench().catch((err) => {
    console.error(`usage bench failed: ${(err as Error).stack ?? err}`);
    process.exitCode = 1;
  });
}
