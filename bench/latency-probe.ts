/**
 * Per-request latency at one connection, as a client sees it: one keep-alive
 * connection, the next request sent when the previous answer has ended, each
 * request timed on its own (process.hrtime), exact percentiles of all of them.
 *
 * wrk's percentiles are corrected for coordinated omission: a stall of T ms
 * is counted as if requests sent at the run's average pace had waited too
 * (about T / mean-interval extra samples), so at one connection and 5,000+
 * requests a second one 10 ms scheduling hiccup of a busy machine moves its
 * p99 by milliseconds. This probe reports what each request actually took,
 * next to wrk's figures (bench/run.ts). Run as a child pinned to CPU 0 like
 * wrk (argument: the LoadSpec as JSON); prints one `MGBENCH {...}` line.
 */
import { Client } from "undici";

type Spec = { url: string; durationS: number; headers: Record<string, string>; body: string };
const spec = JSON.parse(process.argv[2] ?? "{}") as Spec;
const url = new URL(spec.url);
const client = new Client(url.origin, { pipelining: 1, keepAliveTimeout: 60_000 });

const samples: number[] = [];
let errors = 0;
let non2xx = 0;
const started = process.hrtime.bigint();
const end = started + BigInt(Math.round(spec.durationS * 1e9));
for (;;) {
  const t0 = process.hrtime.bigint();
  if (t0 >= end) break;
  try {
    const res = await client.request({ method: "POST", path: url.pathname, headers: spec.headers, body: spec.body });
    await res.body.dump();
    if (res.statusCode < 200 || res.statusCode >= 300) non2xx++;
  } catch {
    errors++;
  }
  samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
await client.close();
samples.sort((a, b) => a - b);
const at = (p: number) => samples[Math.min(samples.length - 1, Math.max(0, Math.ceil((p / 100) * samples.length) - 1))] ?? NaN;
console.log(
  `MGBENCH ${JSON.stringify({ requests: samples.length, rps: samples.length / elapsedS, p50Ms: at(50), p99Ms: at(99), p999Ms: at(99.9), maxMs: samples[samples.length - 1] ?? NaN, errors, non2xx })}`,
);
