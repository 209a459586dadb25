/**
 * Drives one target with a fixed load: wrk (Debian's /usr/bin/wrk) when it
 * exists, else autocannon in a child process. Either way the load generator
 * runs pinned to CPU 0 when taskset exists, with one thread, for a bounded
 * duration, and reports requests, p50/p99 latency and failures.
 */
import { execFile } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { HAS_TASKSET, ROOT, TASKSET } from "./processes";

export const WRK = "/usr/bin/wrk";
export const loadTool = () => (existsSync(WRK) && process.env.BENCH_TOOL !== "autocannon" ? "wrk" : "autocannon");

export type LoadSpec = {
  url: string;
  connections: number;
  durationS: number;
  headers: Record<string, string>;
  body: string;
  /** A private temporary directory for the wrk script (it holds the API key). */
  dir: string;
  /**
   * Offered load in requests/s across all connections (wrk only): each
   * connection waits connections/rate (whole milliseconds: wrk's delay())
   * between a response and its next request, so the target runs below
   * saturation; the measured rate is what the result reports. Unset: as fast as it answers.
   */
  ratePerS?: number;
};

export type LoadResult = { requests: number; rps: number; p50Ms: number; p99Ms: number; errors: number; non2xx: number };

const luaString = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

function wrkScript(spec: LoadSpec): string {
  const file = path.join(spec.dir, `wrk-${spec.connections}-${Date.now()}.lua`);
  const headers = Object.entries(spec.headers)
    .map(([k, v]) => `wrk.headers[${luaString(k)}] = ${luaString(v)}`)
    .join("\n");
  const delay = spec.ratePerS ? `delay = function() return ${Math.max(1, Math.round((spec.connections * 1000) / spec.ratePerS))} end\n` : "";
  writeFileSync(
    file,
    `${delay}wrk.method = "POST"
wrk.body = ${luaString(spec.body)}
${headers}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('MGBENCH {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"errors":%d,"non2xx":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
`,
    { mode: 0o600 },
  );
  return file;
}

function run(command: string, args: string[], timeoutMs: number): Promise<string> {
  const [cmd, argv] = HAS_TASKSET ? [TASKSET, ["-c", "0", command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    execFile(cmd, argv, { cwd: ROOT, timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      const line = stdout.split("\n").find((l) => l.startsWith("MGBENCH "));
      if (line) resolve(line.slice("MGBENCH ".length));
      else reject(new Error(`${path.basename(command)} failed: ${err?.message ?? ""}\n${stdout}\n${stderr}`));
    });
  });
}

export async function drive(spec: LoadSpec): Promise<LoadResult> {
  const timeoutMs = (spec.durationS + 20) * 1000;
  if (spec.ratePerS && loadTool() !== "wrk") throw new Error("a fixed request rate needs wrk (apt-get install wrk)");
  if (loadTool() === "wrk") {
    const script = wrkScript(spec);
    const out = JSON.parse(
      await run(WRK, ["-t1", `-c${spec.connections}`, `-d${spec.durationS}s`, "--timeout", "5s", "-s", script, spec.url], timeoutMs),
    ) as { requests: number; durationUs: number; p50Us: number; p99Us: number; errors: number; non2xx: number };
    return {
      requests: out.requests,
      rps: out.requests / (out.durationUs / 1e6),
      p50Ms: out.p50Us / 1000,
      p99Ms: out.p99Us / 1000,
      errors: out.errors,
      non2xx: out.non2xx,
    };
  }
  const args = ["--import", "tsx", path.join(ROOT, "bench/autocannon-child.ts"), JSON.stringify({ ...spec, dir: undefined })];
  return JSON.parse(await run(process.execPath, args, timeoutMs)) as LoadResult;
}

export type ProbeResult = LoadResult & { p999Ms: number; maxMs: number };

/** Per-request latency at one connection, without wrk's coordinated-omission correction (bench/latency-probe.ts). */
export async function probeLatency(spec: Omit<LoadSpec, "connections">): Promise<ProbeResult> {
  const args = ["--import", "tsx", path.join(ROOT, "bench/latency-probe.ts"), JSON.stringify({ ...spec, dir: undefined })];
  return JSON.parse(await run(process.execPath, args, (spec.durationS + 20) * 1000)) as ProbeResult;
}

