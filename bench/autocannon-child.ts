/**
 * autocannon as a child process (so that it can be pinned to one CPU like
 * wrk), for machines without wrk. Argument: the LoadSpec as JSON. Prints one
 * `MGBENCH {...}` line with the LoadResult.
 */
import { createRequire } from "node:module";

type AutocannonResult = {
  requests: { total: number };
  duration: number;
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
};
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;
const spec = JSON.parse(process.argv[2] ?? "{}") as { url: string; connections: number; durationS: number; headers: Record<string, string>; body: string };

const result = await autocannon({
  url: spec.url,
  method: "POST",
  headers: spec.headers,
  body: spec.body,
  connections: spec.connections,
  duration: spec.durationS,
  workers: 0,
});
console.log(
  `MGBENCH ${JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  })}`,
);
