/**
 * Retention under load: how fast the retention worker's batches delete
 * expired rows while the gateway serves traffic, and what that does to the
 * gateway's p99 (targets: >= 100,000 rows/s; p99 raised by <= 10%).
 *
 * In the bench database (modelgate_bench, never the dev or test one), with the
 * echo backend, the bench tenant and the gateway with the full policy as in
 * bench/run.ts (gateway pinned to CPU 1, wrk to CPU 0 when taskset exists),
 * BENCH_RETENTION_ROUNDS rounds (default 3), each:
 *   1. seed BENCH_RETENTION_ROWS (default 1,200,000) usage events 40–70 days
 *      old for the tenant "bench-retention" (expired: usage events live 30
 *      days), then VACUUM ANALYZE and CHECKPOINT, so no autovacuum or
 *      checkpoint left over from the seeding (or from the previous round's
 *      deletion) lands in a measured window;
 *   2. baseline: the gateway alone for W s (BENCH_RETENTION_WINDOW, default 4)
 *      at 32 connections flat out ("saturated"), then W s at a fixed offered
 *      rate of BENCH_RETENTION_RATE (default 0.5) × the saturated rate;
 *   3. the same two windows while lib/retention's runTenantRetention (the
 *      worker's code, as the application role, RLS on, batches of
 *      BENCH_RETENTION_BATCH rows, default 2,000, BENCH_RETENTION_PAUSE_MS
 *      apart, default 8 — the worker's defaults) deletes them in this process.
 *      The rows are enough for the run to outlast both windows (checked: a
 *      window that ends after the run is reported); the delete rate is rows /
 *      wall time of the whole run.
 * A round's p99 change compares its own baseline and retention windows; the
 * verdict uses the median over the rounds.
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
import { execFileSync } from "node:child_process";
import { cpuMicrosOfAll, HAS_TASKSET, pidsNamed, TASKSET, freePort, stopAll, waitForHttp } from "./processes";
import { BODY, PATH, startBackend, TARGETS, type TargetContext } from "./targets";

const ROWS = Math.max(10_000, Number(process.env.BENCH_RETENTION_ROWS) || 1_200_000);
const ROUNDS = Math.min(10, Math.max(1, Number(process.env.BENCH_RETENTION_ROUNDS) || 3));
const BATCH = Math.max(100, Number(process.env.BENCH_RETENTION_BATCH) || 2_000);
const PAUSE_MS = process.env.BENCH_RETENTION_PAUSE_MS === undefined ? 8 : Math.max(0, Number(process.env.BENCH_RETENTION_PAUSE_MS) || 0);
const WINDOW_S = Math.min(30, Math.max(2, Number(process.env.BENCH_RETENTION_WINDOW) || 4));
const RATE_FRACTION = Math.min(0.95, Math.max(0.1, Number(process.env.BENCH_RETENTION_RATE) || 0.5));
/**
 * BENCH_PIN_POSTGRES=0 (a CPU list): a diagnostic that pins every local
 * Postgres process (and so the backends it forks) to those CPUs for the run
 * and restores them after — the gateway's core then never runs Postgres, as
 * where the database has a host of its own. Needs root and taskset.
 */
const PIN_POSTGRES = process.env.BENCH_PIN_POSTGRES;
const CONNECTIONS = 32;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/15";
const SLUG = "bench-retention";

/** One load level's windows: without retention, then while it deletes. */
export type WindowPair = { baseline: LoadResult; during: LoadResult; p99Change: number };

export type RetentionRound = {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  saturated: WindowPair;
  fixedRate: WindowPair & { offeredPerS: number };
  /** Cores' worth of CPU the local Postgres processes used during the run (null when Postgres is not local). */
  postgresCores: number | null;
  /** Seconds the retention windows ran past the end of the deletion (0 when the run outlasted them). */
  windowsOutlivedRunBy: number;
};

export type RetentionBenchResult = {
  rounds: RetentionRound[];
  medianRowsPerSecond: number;
  medianSaturatedChange: number;
  medianFixedRateChange: number;
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
    // A clean table between rounds: what the seeding (or the last round's
    // deletion) left for autovacuum is done now, outside the measured windows.
    await admin.query("VACUUM (ANALYZE) usage_events");
    await admin.query("CHECKPOINT");
    return tenantId;
  } finally {
    await admin.end();
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (x: number) => `${x >= 0 ? "+" : ""}${fmt(x * 100, 1)}%`;
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const pair = (baseline: LoadResult, during: LoadResult): WindowPair => ({ baseline, during, p99Change: during.p99Ms / baseline.p99Ms - 1 });
const windowLine = (label: string, w: WindowPair) =>
  `${label} ${fmt(w.baseline.rps)} → ${fmt(w.during.rps)} req/s, p50 ${fmt(w.baseline.p50Ms, 2)} → ${fmt(w.during.p50Ms, 2)} ms, ` +
  `p99 ${fmt(w.baseline.p99Ms, 2)} → ${fmt(w.during.p99Ms, 2)} ms (${pct(w.p99Change)})`;

const roundLine = (round: RetentionRound, i: number) =>
  `retention round ${i + 1}: ${fmt(round.rows)} rows in ${fmt(round.seconds, 2)} s = ${fmt(round.rowsPerSecond)} rows/s${round.postgresCores === null ? "" : ` (Postgres busy ${fmt(round.postgresCores, 2)} cores meanwhile)`}; ` +
      `${windowLine("saturated", round.saturated)}; ${windowLine(`at ${fmt(round.fixedRate.offeredPerS)} req/s offered`, round.fixedRate)}` +
      (round.windowsOutlivedRunBy > 0 ? ` — WARNING: the windows ran ${fmt(round.windowsOutlivedRunBy, 1)} s past the deletion; raise BENCH_RETENTION_ROWS` : "");

function pinPostgres(cpus: string) {
  for (const pid of pidsNamed("postgres")) {
    try {
      execFileSync(TASKSET, ["-a", "-p", "-c", cpus, String(pid)], { stdio: "ignore" });
    } catch {
      // exited, or not ours to pin
    }
  }
}

export function describeRetention(r: RetentionBenchResult): string {
  const lines = r.rounds.map(roundLine);
  lines.push(
    `retention: median ${fmt(r.medianRowsPerSecond)} rows/s (batches of ${fmt(BATCH)}${PAUSE_MS ? `, ${PAUSE_MS} ms apart` : ""}; target >= 100,000) ` +
      `${r.medianRowsPerSecond >= 100_000 ? "met" : "MISSED"}, with the gateway under load`,
    `retention: gateway p99 change, median of ${r.rounds.length} rounds — saturated (32 connections flat out) ${pct(r.medianSaturatedChange)} ` +
      `(target <= +10%) ${r.medianSaturatedChange <= 0.1 ? "met" : "MISSED"}; at ${Math.round(RATE_FRACTION * 100)}% of saturation ` +
      `${pct(r.medianFixedRateChange)} (target <= +10%) ${r.medianFixedRateChange <= 0.1 ? "met" : "MISSED"}`,
  );
  return lines.join("\n");
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
    const load = (durationS: number, ratePerS?: number) =>
      drive({ url: gateway.url + PATH, connections: CONNECTIONS, durationS, headers: ctx.headers, body: BODY, dir, ratePerS });

    if (PIN_POSTGRES && HAS_TASKSET) pinPostgres(PIN_POSTGRES);
    const rounds: RetentionRound[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const retentionTenant = await seedExpired(urls.migration);
      await load(2); // warm-up, and the seeding's I/O settles
      const saturatedBase = await load(WINDOW_S);
      const offeredPerS = Math.round(saturatedBase.rps * RATE_FRACTION);
      const fixedBase = await load(WINDOW_S, offeredPerS);

      const started = performance.now();
      const pgCpuBefore = cpuMicrosOfAll("postgres");
      let endedAt = 0;
      let pgCpuAfter: number | null = null;
      const run = runTenantRetention(retentionTenant, {
        runKey: `bench:${Date.now()}:${i}`,
        trigger: "manual",
        db,
        batchSize: BATCH,
        pauseMs: PAUSE_MS,
        classes: ["usage_events"],
        pruneAudit: null,
      }).then((result) => {
        endedAt = performance.now();
        pgCpuAfter = cpuMicrosOfAll("postgres");
        return result;
      });
      const saturatedDuring = await load(WINDOW_S);
      const fixedDuring = await load(WINDOW_S, offeredPerS);
      const windowsEnded = performance.now();
      const result = await run;
      const seconds = (endedAt - started) / 1000;
      const deleted = result.classes[0]!.deletedCount;
      rounds.push({
        rows: deleted,
        seconds,
        rowsPerSecond: deleted / seconds,
        saturated: pair(saturatedBase, saturatedDuring),
        fixedRate: { ...pair(fixedBase, fixedDuring), offeredPerS },
        postgresCores: pgCpuBefore !== null && pgCpuAfter !== null ? (pgCpuAfter - pgCpuBefore) / 1e6 / seconds : null,
        windowsOutlivedRunBy: Math.max(0, (windowsEnded - endedAt) / 1000),
      });
      console.log(roundLine(rounds[i]!, i));
    }
    return {
      rounds,
      medianRowsPerSecond: median(rounds.map((r) => r.rowsPerSecond)),
      medianSaturatedChange: median(rounds.map((r) => r.saturated.p99Change)),
      medianFixedRateChange: median(rounds.map((r) => r.fixedRate.p99Change)),
    };
  } finally {
    if (PIN_POSTGRES && HAS_TASKSET) pinPostgres(`0-${os.cpus().length - 1}`);
    await db.$disconnect();
    await stopAll();
    await redis.flushdb().catch(() => {});
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runRetentionBench(): Promise<void> {
  console.log("");
  console.log(`retention bench: ${ROUNDS} rounds of ${fmt(ROWS)} expired usage events${PIN_POSTGRES && HAS_TASKSET ? `, Postgres pinned to CPU ${PIN_POSTGRES}` : ""} (load average ${os.loadavg().map((n) => n.toFixed(2)).join(" ")})`);
  const result = await retentionBench();
  console.log(describeRetention(result).split("\n").slice(-2).join("\n"));
  console.log(`note: load average after the retention bench ${os.loadavg().map((n) => n.toFixed(2)).join(" ")}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await runRetentionBench().catch(async (err) => {
    console.error(`retention bench failed: ${(err as Error).stack ?? err}`);
    await stopAll();
    process.exitCode = 1;
  });
}
