/**
 * `npm run bench`: the data plane's cost, as ratios measured in one run.
 *
 * Targets (bench/targets.ts), each its own process pinned to CPU 1 when
 * taskset exists, driven by the same load generator pinned to CPU 0 (wrk,
 * else autocannon), POST /v1/chat/completions:
 *   direct       the echo model backend itself
 *   nginx        nginx as a keep-alive pass-through (only if /usr/sbin/nginx exists)
 *   bare proxy   node:http + undici Pool, no checks (bench/bare-proxy.ts)
 *   gateway      gateway/main.ts with the full policy: key, IP allow-lists,
 *                scope and model access, per-key and per-tenant rate limits
 *                (high, never denying), usage records
 * All targets run for the whole bench; after a warm-up, BENCH_ROUNDS rounds
 * (default 2) visit them in turn at 1 connection, then at 32, for
 * BENCH_DURATION seconds each (default 5), and the table keeps each case's
 * round with the highest throughput, the one least disturbed by whatever else
 * the machine runs; then the gateway / bare proxy ratios of each round (the
 * two ran one after the other) and their median, steadier on a busy machine. CPU µs per request of the target (and of the backend and Redis) come
 * from /proc/<pid>/stat. Then a micro-benchmark of the rate limiter alone.
 *
 * Bounded: a watchdog stops everything after BENCH_TIMEOUT seconds (default
 * from the plan, under 3 minutes with the defaults). Uses its own database
 * (modelgate_bench) and Redis database (BENCH_REDIS_URL, default
 * redis://127.0.0.1:6379/15, flushed before and after).
 * BENCH_TARGETS=bare,gateway runs only some targets (direct, nginx, bare, gateway);
 * then the usage dashboard bench (bench/usage-dashboard.ts; BENCH_USAGE=0 skips it);
 * then retention under load (bench/retention-delete.ts; BENCH_RETENTION=0 skips it);
 * BENCH_ALL_ROUNDS=1 also prints every round's row, in the order measured.
 * After each round's 1-connection runs, bench/latency-probe.ts times every
 * request of one connection on its own (wrk's percentiles are corrected for
 * coordinated omission, which multiplies a busy machine's stalls);
 * BENCH_PROBE=0 skips it.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { assertLocalDatabase } from "../test/assert-local-database";
import { auditAppendBench, describeAppend } from "./audit-append";
import { auditVerifyBench, describeVerify } from "./audit-verify";
import { prepareBenchTenant } from "./bench-db";
import { SHARED_ECHO_BACKEND } from "./echo-backend";
import { limiterMicroBench, type MicroResult } from "./limiter-micro";
import { drive, loadTool, probeLatency } from "./load";
import { cpuMicros, freePort, HAS_TASKSET, stopAll, waitForHttp } from "./processes";
import { bestRows, printPairedRatios, printProbes, printRatios, printTable, type ProbeRow, type Row } from "./report";
import { BODY, PATH, startBackend, TARGETS, type Target, type TargetContext } from "./targets";

const DURATION_S = Math.min(30, Math.max(1, Number(process.env.BENCH_DURATION) || 5));
const ROUNDS = Math.min(5, Math.max(1, Number(process.env.BENCH_ROUNDS) || 2));
const WARMUP_S = 2;
const ONLY = process.env.BENCH_TARGETS?.split(",").map((s) => s.trim());
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/15";
const AUDIT = process.env.BENCH_AUDIT !== "0"; // the audit trail's append and verify benchmarks (bench/audit-*.ts)
const PROBE = process.env.BENCH_PROBE !== "0"; // per-request latency at 1 connection (bench/latency-probe.ts)
const PLANNED_S = 40 + TARGETS.length * (WARMUP_S + ROUNDS * (PROBE ? 3 : 2) * (DURATION_S + 1)) + (AUDIT ? 120 : 0);
const WATCHDOG_MS = (Number(process.env.BENCH_TIMEOUT) || PLANNED_S + 60) * 1000;

const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${WATCHDOG_MS / 1000} s; stopping`);
  void stopAll().finally(() => process.exit(2));
}, WATCHDOG_MS);

async function redisPid(redis: Redis): Promise<number | undefined> {
  const pid = Number(/process_id:(\d+)/.exec(await redis.info("server"))?.[1]);
  try {
    cpuMicros(pid);
    return pid;
  } catch {
    return undefined; // Redis elsewhere or not readable: no Redis column
  }
}

async function measure(target: Target, connections: number, ctx: TargetContext, pids: { backend: number; redis?: number }): Promise<Row> {
  const cpu = (pid?: number) => (pid === undefined ? undefined : cpuMicros(pid));
  const before = [cpu(target.child?.proc.pid), cpu(pids.backend), cpu(pids.redis)];
  const load = await drive({ url: target.url + PATH, connections, durationS: DURATION_S, headers: ctx.headers, body: BODY, dir: ctx.dir });
  const after = [cpu(target.child?.proc.pid), cpu(pids.backend), cpu(pids.redis)];
  const per = (i: number) => (before[i] === undefined || after[i] === undefined || !load.requests ? undefined : (after[i]! - before[i]!) / load.requests);
  return { target: target.name, connections, load, proxyUs: per(0), backendUs: per(1), redisUs: per(2) };
}

const loadavg = () => os.loadavg().map((n) => n.toFixed(2)).join(" ");

async function main(): Promise<void> {
  assertLocalDatabase(REDIS_URL);
  const dir = mkdtempSync(path.join(os.tmpdir(), "mg-bench-"));
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const rows: Row[] = [];
  const probes: ProbeRow[] = [];
  const notes: string[] = [];
  let micro: MicroResult | undefined;
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ` +
      `Linux ${os.release()}; load average at start ${loadavg()}`,
  );
  console.log(
    `load: ${loadTool()}, 1 thread${HAS_TASKSET ? " on CPU 0, targets on CPU 1 (taskset)" : " (no taskset: unpinned)"}; ` +
      `${ROUNDS} round(s) of ${DURATION_S} s per case, best round kept`,
  );
  try {
    await redis.flushdb();
    micro = await limiterMicroBench(redis);
    const backendPort = await freePort();
    const backend = startBackend(backendPort);
    await waitForHttp(backend, `http://127.0.0.1:${backendPort}/`);
    notes.push(`backend: ${existsSync(SHARED_ECHO_BACKEND) ? "scripts/echo-backend.ts" : "bench/echo-backend.ts (fallback responder)"}`);
    const pids = { backend: backend.proc.pid!, redis: await redisPid(redis) };

    const tenant = await prepareBenchTenant(`http://127.0.0.1:${backendPort}`);
    const ctx: TargetContext = {
      dir,
      backendPort,
      redisUrl: REDIS_URL,
      headers: { "content-type": "application/json", authorization: `Bearer ${tenant.secret}` },
      notes,
    };
    const targets: Target[] = [];
    for (const t of TARGETS) {
      if (ONLY && !ONLY.includes(t.key)) continue;
      const target = await t.start(ctx);
      if (!target) continue;
      await drive({ url: target.url + PATH, connections: 32, durationS: WARMUP_S, headers: ctx.headers, body: BODY, dir });
      targets.push(target);
    }
    // Connections outside, targets inside: the bare proxy's and the gateway's runs of one case are
    // neighbours, so their same-round ratio (printPairedRatios) sees about the same background load.
    for (let round = 0; round < ROUNDS; round++) {
      for (const connections of [1, 32]) {
        for (const target of targets) rows.push({ ...(await measure(target, connections, ctx, pids)), round });
        if (connections !== 1 || !PROBE) continue;
        for (const target of targets) {
          const result = await probeLatency({ url: target.url + PATH, durationS: DURATION_S, headers: ctx.headers, body: BODY, dir: ctx.dir });
          probes.push({ target: target.name, round, result });
        }
      }
    }
  } finally {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
    await redis.flushdb().catch(() => {});
    redis.disconnect();
    clearTimeout(watchdog);
  }
  console.log("");
  if (process.env.BENCH_ALL_ROUNDS === "1") {
    printTable(rows); // every round, in the order measured, before the best-of table
    console.log("");
  }
  printTable(bestRows(rows));
  printRatios(bestRows(rows), micro);
  printPairedRatios(rows);
  printProbes(probes);
  if (loadTool() !== "wrk") notes.push("autocannon measures latency in whole milliseconds: install wrk (apt-get install wrk) for the p50/p99 targets");
  for (const note of notes) console.log(`note: ${note}`);
  console.log(`note: load average at end ${loadavg()}`);
  if (AUDIT) {
    console.log("");
    console.log(describeAppend(await auditAppendBench({ batch: 1 })));
    console.log(describeAppend(await auditAppendBench({ batch: Number(process.env.BENCH_AUDIT_BATCH) || 20 })));
    console.log(describeVerify(await auditVerifyBench()));
    console.log(`note: load average after the audit benchmarks ${loadavg()}`);
  }
}

process.on("SIGINT", () => void stopAll().finally(() => process.exit(130)));
await main().catch(async (err) => {
  console.error(`bench failed: ${(err as Error).stack ?? err}`);
  await stopAll();
  process.exit(1);
});

// Retention deleting expired rows while the gateway serves load, and the gateway's p99 with and without it
// (bench/retention-delete.ts, also `npm run bench:retention`). BENCH_RETENTION=0 skips it.
if (process.env.BENCH_RETENTION !== "0") {
  const { runRetentionBench } = await import("./retention-delete");
  await runRetentionBench().catch((err) => {
    console.error(`retention bench failed: ${(err as Error).stack ?? err}`);
    process.exitCode = 1;
  });
}

// The usage dashboard's queries over 10 million events (bench/usage-dashboard.ts; seeds once, then reuses
// the seed). BENCH_USAGE=0 skips it.
if (process.env.BENCH_USAGE !== "0") {
  const { runUsageDashboardBench } = await import("./usage-dashboard");
  await runUsageDashboardBench().catch((err) => {
    console.error(`usage bench failed: ${(err as Error).stack ?? err}`);
    process.exitCode = 1;
  });
}
