/**
 * First benchmark of the gateway's rejection path, in-process on loopback:
 * (a) GET /healthz as the baseline, (b) POST /v1/chat/completions with a
 * malformed key (denied 401 invalid_api_key). Bounded: BENCH_REQUESTS per
 * scenario (default 5000, max 100000), 32 concurrent requests over a
 * keep-alive pool, and at most 60 s per scenario.
 */
import type { AddressInfo } from "node:net";
import { Pool, type Dispatcher } from "undici";
import { createLogger } from "../lib/log/logger";
import { closeGatewayServer, createGatewayServer } from "../gateway/server";

const REQUESTS = Math.min(Math.max(Number(process.env.BENCH_REQUESTS) || 5_000, 100), 100_000);
const CONCURRENCY = 32;
const WARMUP = 500;
const SCENARIO_DEADLINE_MS = 60_000;

type Scenario = { name: string; request: Dispatcher.RequestOptions; expectStatus: number };
type Result = { name: string; sent: number; rps: number; p50: number; p99: number; unexpected: number };

const scenarios: Scenario[] = [
  { name: "GET /healthz", request: { method: "GET", path: "/healthz" }, expectStatus: 200 },
  {
    name: "POST /v1/chat/completions, malformed key",
    request: {
      method: "POST",
      path: "/v1/chat/completions",
      headers: { "content-type": "application/json", authorization: "Bearer not-a-modelgate-key" },
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
    },
    expectStatus: 401,
  },
];

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function run(pool: Pool, scenario: Scenario, count: number): Promise<Result> {
  const latencies = new Float64Array(count);
  let next = 0;
  let done = 0;
  let unexpected = 0;
  const started = performance.now();
  const deadline = started + SCENARIO_DEADLINE_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < count && performance.now() < deadline; i = next++) {
        const t0 = performance.now();
        const res = await pool.request(scenario.request);
        await res.body.dump();
        latencies[i] = performance.now() - t0;
        if (res.statusCode !== scenario.expectStatus) unexpected++;
        done++;
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const sorted = latencies.slice(0, done).sort();
  return { name: scenario.name, sent: done, rps: done / elapsedS, p50: percentile(sorted, 50), p99: percentile(sorted, 99), unexpected };
}

const server = createGatewayServer({ logger: createLogger("bench", { level: "silent" }), readiness: [] });
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const pool = new Pool(origin, { connections: CONCURRENCY, pipelining: 1 });

try {
  console.log(`gateway bench: ${REQUESTS} requests per scenario, concurrency ${CONCURRENCY}, ${origin}`);
  const results: Result[] = [];
  for (const scenario of scenarios) {
    await run(pool, scenario, WARMUP);
    results.push(await run(pool, scenario, REQUESTS));
  }
  for (const r of results) {
    console.log(
      `${r.name.padEnd(44)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(3)} ms   p99 ${r.p99.toFixed(3)} ms` +
        `${r.sent < REQUESTS ? `   (stopped at ${r.sent}: time limit)` : ""}${r.unexpected ? `   UNEXPECTED STATUS x${r.unexpected}` : ""}`,
    );
  }
  const [a, b] = results as [Result, Result];
  console.log(`ratio b/a: throughput ${(b.rps / a.rps).toFixed(2)}, p50 latency ${(b.p50 / a.p50).toFixed(2)}, p99 latency ${(b.p99 / a.p99).toFixed(2)}`);
  if (results.some((r) => r.unexpected > 0)) process.exitCode = 1;
} finally {
  await pool.close();
  await closeGatewayServer(server, 2_000);
}
