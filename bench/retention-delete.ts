/**
 * Retention under load: how fast the retention worker's batches delete
 * expired rows while the gateway serves traffic, and what that does to the
 * gateway's p99 (targets: >= 100,000 rows/s; p99 raised by <= 10%).
 *
 * In the bench database (modelgate_bench, never the dev or test one):
 *   1. the echo backend, the bench tenant and the gateway with the full
 *      policy, as in bench/run.ts (gateway pinned to CPU 1 when taskset exists);
 *   2. a tenant "bench-retention" with BENCH_RETENTION_ROWS (default 1,000,000)
 *      usage events 40–70 days old (expired: usage events live 30 days);
 *   3. the gateway alone at 32 connections for BENCH_DURATION s (default 8);
 *   4. the same load while lib/retention's runTenantRetention (the worker's
 *      code, as the application role, RLS on, batches of BENCH_RETENTION_BATCH
 *      rows, default 2,000, BENCH_RETENTION_PAUSE_MS apart, default 8 — the worker's defaults) deletes
 *      them in this process; the delete rate is
 *      rows / wall time of the run, and the load window is cut to the run's
 *      length when it ends first;
 *   5. the gateway alone again; the baseline is the better of 3 and 5.
 *
 *   npm run bench:retention      (also at the end of `npm run bench`; BENCH_RETENTION=0 skips it there)
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { Redis } from "ioredis";
import { createPrismaClient } from "../lib/db/client";
import { runTenantRetention } from "../lib/retention/run-retention";
import { benchDatabaseUrls, prepareBenchTenant } from "./bench-db";
import { drive, type LoadResult } from "./load";
import { freePort, stopAll, waitForHttp } from "./processes";
import { BODY, PATH, startBackend, TARGETS, type TargetContext } from "./targets";

const ROWS = Math.max(10_000, Number(process.env.BENCH_RETENTION_ROWS) || 1_000_000);
const BATCH = Math.max(100, Number(process.env.BENCH_RETENTION_BATCH) || 2_000);
const PAUSE_MS = process.env.BENCH_RETENTION_PAUSE_MS === undefined ? 8 : Math.max(0, Number(process.env.BENCH_RETENTION_PAUSE_MS) || 0);
const DURATION_S = Math.min(60, Math.max(2, Number(process.env.BENCH_DURATION) || 8));
const CONNECTIONS = 32;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/15";
const SLUG = "bench-retention";

export type RetentionBenchResult = {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  baseline: LoadResult;
  during: LoadResult;
  overlapSeconds: number;
  p99Change: number;
};

async function seedExpired(migrationUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: migrationUrl });
  await admin.connect();
  try {
    const tenant = await admin.query<{ id: string }>(
      `INSERT INTO tenants (name, slug) VALUES ('Bench retention', $1)
       ON CONFLICT (slug) DO UPDATE SET status = 'active' RETURNING id`,
      [SLUG],
    );
    const tenantId = tenant.rows[0]!.id;
    await admin.query("DELETE FROM usage_events WHERE tenant_id = $1", [tenantId]);
    await admin.query(
      `INSERT INTO usage_events (tenant_id, request_id, key_id, route, model, status, latency_ms, prompt_tokens, completion_tokens, total_tokens, occurred_at)
       SELECT $1, 'ret-' || g, ('00000000-0000-4000-8000-00000000000' || (g % 8))::uuid, 'chat', 'echo', 200, 5 + g % 200, 12, 30, 42,
              now() - interval '40 days' - (g % 2592000) * interval '1 second'
       FROM generate_series(1, $2::int) g`,
      [tenantId, ROWS],
    );
    await admin.query("ANALYZE usage_events");
    return tenantId;
  } finally {
    await admin.end();
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function describeRetention(r: RetentionBenchResult): string {
  const change = `${r.p99Change >= 0 ? "+" : ""}${fmt(r.p99Change * 100, 1)}%`;
  return [
    `retention: deleted ${fmt(r.rows)} expired usage events in ${fmt(r.seconds, 2)} s = ${fmt(r.rowsPerSecond)} rows/s ` +
      `(batches of ${fmt(BATCH)}${PAUSE_MS ? `, ${PAUSE_MS} ms apart` : ""}; target >= 100,000) ${r.rowsPerSecond >= 100_000 ? "met" : "MISSED"}, with the gateway under load`,
    `retention: gateway at ${CONNECTIONS} connections — without retention ${fmt(r.baseline.rps)} req/s, p50 ${fmt(r.baseline.p50Ms, 2)} ms, ` +
      `p99 ${fmt(r.baseline.p99Ms, 2)} ms; during the run (${fmt(r.overlapSeconds, 1)} s) ${fmt(r.during.rps)} req/s, ` +
      `p50 ${fmt(r.during.p50Ms, 2)} ms, p99 ${fmt(r.during.p99Ms, 2)} ms: p99 ${change} (target <= +10%) ${r.p99Change <= 0.1 ? "met" : "MISSED"}`,
  ].join("\n");
}

export async function retentionBench(): Promise<RetentionBenchResult> {
  const urls = benchDatabaseUrls();
  const dir = mkdtempSync(path.join(os.tmpdir(), "mg-bench-retention-"));
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const db = createPrismaClient({ connectionString: urls.app, max: 2 });
  try {
    await redis.flushdb();
    const backendPort = await freePort();
    const backend = startBackend(backendPort);
    await waitForHttp(backend, `http://127.0.0.1:${backendPort}/`);
    const tenant = await prepareBenchTenant(`http://127.0.0.1:${backendPort}`);
    const ctx: TargetContext = {
      dir,
      backendPort,
      redisUrl: REDIS_URL,
      headers: { "content-type": "application/json", authorization: `Bearer ${tenant.secret}` },
      notes: [],
    };
    const gateway = (await TARGETS.find((t) => t.key === "gateway")!.start(ctx))!;
    const load = (durationS: number) =>
      drive({ url: gateway.url + PATH, connections: CONNECTIONS, durationS, headers: ctx.headers, body: BODY, dir });
    const retentionTenant = await seedExpired(urls.migration);
    await load(2); // warm-up

    const before = await load(DURATION_S);
    const started = performance.now();
    const run = runTenantRetention(retentionTenant, {
      runKey: `bench:${Date.now()}`,
      trigger: "manual",
      db,
      batchSize: BATCH,
      pauseMs: PAUSE_MS,
      classes: ["usage_events"],
      pruneAudit: null,
    }).then((r) => ({ result: r, seconds: (performance.now() - started) / 1000 }));
    // Load for as long as the run is expected to take (but no longer than BENCH_DURATION).
    const expected = Math.max(2, Math.min(DURATION_S, Math.floor(ROWS / (PAUSE_MS ? 60_000 : 150_000))));
    const during = await load(expected);
    const { result, seconds } = await run;
    const after = await load(DURATION_S);
    const baseline = before.p99Ms <= after.p99Ms ? before : after;
    const deleted = result.classes[0]!.deletedCount;
    return {
      rows: deleted,
      seconds,
      rowsPerSecond: deleted / seconds,
      baseline,
      during,
      overlapSeconds: Math.min(seconds, expected),
      p99Change: during.p99Ms / baseline.p99Ms - 1,
    };
  } finally {
    await db.$disconnect();
    await stopAll();
    await redis.flushdb().catch(() => {});
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runRetentionBench(): Promise<void> {
  console.log("");
  console.log(`retention bench: seeding ${fmt(ROWS)} expired usage events (load average ${os.loadavg().map((n) => n.toFixed(2)).join(" ")})`);
  console.log(describeRetention(await retentionBench()));
  console.log(`note: load average after the retention bench ${os.loadavg().map((n) => n.toFixed(2)).join(" ")}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await runRetentionBench().catch(async (err) => {
    console.error(`retention bench failed: ${(err as Error).stack ?? err}`);
    await stopAll();
    process.exitCode = 1;
  });
}
