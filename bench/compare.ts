/**
 * Paired A/B comparison of two bench targets, for working on the gateway's
 * cost on a machine that other work keeps busy (where `npm run bench`'s
 * figures move with the load).
 *
 *   npx tsx bench/compare.ts                       bare proxy vs gateway, 32 connections
 *   BENCH_PAIRS=10 BENCH_DURATION=2 BENCH_CONNECTIONS=1 npx tsx bench/compare.ts
 *   BENCH_COMPARE=direct,gateway npx tsx bench/compare.ts
 *
 * Starts the same processes as `npm run bench` (bench/targets.ts) and drives
 * the two targets in short alternating runs (A B B A A B ...), so that each
 * pair of neighbouring runs sees about the same background load; prints the
 * ratios of each pair (second / first: throughput, CPU µs per request of
 * the target process, p50) and their medians, which is what to compare
 * between two versions of the code. Not a replacement for `npm run bench`:
 * its table is what the README records.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { assertLocalDatabase } from "../test/assert-local-database";
import { prepareBenchTenant } from "./bench-db";
import { drive } from "./load";
import { cpuMicros, freePort, stopAll, waitForHttp } from "./processes";
import { BODY, PATH, startBackend, TARGETS, type Target, type TargetContext } from "./targets";

const PAIRS = Math.min(30, Math.max(1, Number(process.env.BENCH_PAIRS) || 6));
const DURATION_S = Math.min(10, Math.max(1, Number(process.env.BENCH_DURATION) || 3));
const CONNECTIONS = Math.min(64, Math.max(1, Number(process.env.BENCH_CONNECTIONS) || 32));
const [FIRST, SECOND] = (process.env.BENCH_COMPARE ?? "bare,gateway").split(",").map((s) => s.trim()) as [string, string];
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/15";
const WATCHDOG_MS = (60 + PAIRS * 2 * (DURATION_S + 2) + 30) * 1000;

type Run = { rps: number; cpuUs: number; p50Ms: number; p99Ms: number };

const watchdog = setTimeout(() => {
  console.error(`compare: still running after ${WATCHDOG_MS / 1000} s; stopping`);
  void stopAll().finally(() => process.exit(2));
}, WATCHDOG_MS);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function run(target: Target, ctx: TargetContext): Promise<Run> {
  const pid = target.child?.proc.pid;
  const before = pid === undefined ? 0 : cpuMicros(pid);
  const load = await drive({ url: target.url + PATH, connections: CONNECTIONS, durationS: DURATION_S, headers: ctx.headers, body: BODY, dir: ctx.dir });
  const after = pid === undefined ? 0 : cpuMicros(pid);
  if (load.non2xx + load.errors > 0) throw new Error(`${target.name}: ${load.non2xx} non-2xx answers, ${load.errors} errors`);
  return { rps: load.rps, cpuUs: load.requests ? (after - before) / load.requests : NaN, p50Ms: load.p50Ms, p99Ms: load.p99Ms };
}

async function main(): Promise<void> {
  assertLocalDatabase(REDIS_URL);
  const dir = mkdtempSync(path.join(os.tmpdir(), "mg-compare-"));
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
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
    const start = async (key: string) => {
      const def = TARGETS.find((t) => t.key === key);
      const target = def && (await def.start(ctx));
      if (!target) throw new Error(`target ${key} is not available`);
      await drive({ url: target.url + PATH, connections: CONNECTIONS, durationS: 2, headers: ctx.headers, body: BODY, dir });
      return target;
    };
    const a = await start(FIRST);
    const b = await start(SECOND);
    console.log(`${b.name} / ${a.name}, ${CONNECTIONS} connection(s), ${PAIRS} pairs of ${DURATION_S} s runs; load average ${os.loadavg()[0]!.toFixed(2)}`);
    console.log("| pair | throughput | CPU µs/req | p50 | CPU µs/req each | p50 ms each | p99 ms each |");
    console.log("| ---: | ---: | ---: | ---: | --- | --- | --- |");
    const ratios = { rps: [] as number[], cpu: [] as number[], p50: [] as number[], addedP50: [] as number[], addedP99: [] as number[] };
    const cpuRatio = (x: Run, y: Run) => (x.cpuUs > 0 && y.cpuUs > 0 ? y.cpuUs / x.cpuUs : NaN);
    const signed = (n: number) => `${n >= 0 ? "+" : ""}${n.toFixed(3)}`;
    const fmt = (n: number, digits = 2, unit = "×") => (Number.isFinite(n) ? `${n.toFixed(digits)}${unit}` : "—");
    for (let i = 0; i < PAIRS; i++) {
      const order = i % 2 === 0 ? [a, b] : [b, a];
      const [first, second] = [await run(order[0]!, ctx), await run(order[1]!, ctx)];
      const [ra, rb] = order[0] === a ? [first, second] : [second, first];
      ratios.rps.push(rb.rps / ra.rps);
      ratios.cpu.push(cpuRatio(ra, rb));
      ratios.p50.push(rb.p50Ms / ra.p50Ms);
      ratios.addedP50.push(rb.p50Ms - ra.p50Ms);
      ratios.addedP99.push(rb.p99Ms - ra.p99Ms);
      console.log(
        `| ${i + 1} | ${fmt(rb.rps / ra.rps)} | ${fmt(cpuRatio(ra, rb))} | ${fmt(rb.p50Ms / ra.p50Ms)} | ` +
          `${fmt(ra.cpuUs, 0, "")} / ${fmt(rb.cpuUs, 0, "")} | ${ra.p50Ms.toFixed(3)} / ${rb.p50Ms.toFixed(3)} | ${ra.p99Ms.toFixed(3)} / ${rb.p99Ms.toFixed(3)} |`,
      );
    }
    const cpus = ratios.cpu.filter(Number.isFinite);
    console.log(
      `median: throughput ${fmt(median(ratios.rps))}, CPU per request ${cpus.length ? fmt(median(cpus)) : "—"}, p50 ${fmt(median(ratios.p50))} ` +
        `(${signed(median(ratios.addedP50))} ms), p99 ${signed(median(ratios.addedP99))} ms; load average at end ${os.loadavg()[0]!.toFixed(2)}`,
    );
  } finally {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
    await redis.flushdb().catch(() => {});
    redis.disconnect();
    clearTimeout(watchdog);
  }
}

process.on("SIGINT", () => void stopAll().finally(() => process.exit(130)));
await main().catch(async (err) => {
  console.error(`compare failed: ${(err as Error).stack ?? err}`);
  await stopAll();
  process.exit(1);
});
