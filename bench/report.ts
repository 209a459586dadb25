/** The benchmark's table and the ratios the gateway issue sets targets for. */
import type { MicroResult } from "./limiter-micro";
import type { LoadResult, ProbeResult } from "./load";

export type Row = { target: string; connections: number; load: LoadResult; proxyUs?: number; backendUs?: number; redisUs?: number; round?: number };

const fmt = (n: number | undefined, digits = 0) => (n === undefined || !Number.isFinite(n) ? "—" : n.toFixed(digits));

/** Of several rounds of one (target, connections), the one with the highest throughput (least disturbed by other load). */
export function bestRows(rows: Row[]): Row[] {
  const best = new Map<string, Row>();
  for (const r of rows) {
    const key = `${r.target}|${r.connections}`;
    const seen = best.get(key);
    if (!seen || r.load.rps > seen.load.rps) best.set(key, r);
  }
  return [...best.values()];
}

export function printTable(rows: Row[]): void {
  const header = ["target", "conns", "req/s", "proxy CPU µs/req", "backend CPU µs/req", "Redis CPU µs/req", "p50 ms", "p99 ms", "non-2xx/errors"];
  console.log(`| ${header.join(" | ")} |`);
  console.log(`| ${header.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`);
  for (const r of rows) {
    const cells = [r.target, String(r.connections), fmt(r.load.rps), fmt(r.proxyUs), fmt(r.backendUs), fmt(r.redisUs, 1), fmt(r.load.p50Ms, 3), fmt(r.load.p99Ms, 3), String(r.load.non2xx + r.load.errors)];
    console.log(`| ${cells.join(" | ")} |`);
  }
}

export function printRatios(rows: Row[], micro: MicroResult | undefined): void {
  const find = (target: string, c: number) => rows.find((r) => r.target === target && r.connections === c);
  const ratio = (a?: number, b?: number) => (a === undefined || b === undefined ? "—" : `${(a / b).toFixed(2)}×`);
  const added = (a?: number, b?: number) => (a === undefined || b === undefined ? "—" : `${a - b >= 0 ? "+" : ""}${(a - b).toFixed(3)} ms`);
  const [gw1, gw32, bare1, bare32, nginx32, direct1] = [
    find("gateway", 1),
    find("gateway", 32),
    find("bare proxy", 1),
    find("bare proxy", 32),
    find("nginx", 32),
    find("direct", 1),
  ];
  console.log("");
  console.log(
    `gateway vs bare proxy, 32 conns: throughput ${ratio(gw32?.load.rps, bare32?.load.rps)} (target ≥ 0.90), ` +
      `CPU per request ${ratio(gw32?.proxyUs, bare32?.proxyUs)} (target ≤ 1.15)`,
  );
  console.log(`gateway vs bare proxy, 1 conn:   throughput ${ratio(gw1?.load.rps, bare1?.load.rps)}, CPU per request ${ratio(gw1?.proxyUs, bare1?.proxyUs)}`);
  if (nginx32) {
    console.log(`vs nginx, 32 conns: bare proxy ${ratio(bare32?.load.rps, nginx32.load.rps)} (reference 0.3–0.7), gateway ${ratio(gw32?.load.rps, nginx32.load.rps)}`);
  }
  for (const name of ["gateway", "bare proxy", "nginx"]) {
    const one = find(name, 1);
    if (!one) continue;
    const goal = name === "gateway" ? " (target p50 ≤ +0.5 ms, p99 ≤ +2 ms)" : "";
    console.log(`added latency vs direct, 1 conn, ${name}: p50 ${added(one.load.p50Ms, direct1?.load.p50Ms)}, p99 ${added(one.load.p99Ms, direct1?.load.p99Ms)}${goal}`);
  }
  if (micro) {
    console.log(
      `rate limiter alone (in-process, 32 concurrent admits on one bucket): leased ${fmt(micro.leasedPerS)} admits/s, ` +
        `one Redis call per admit ${fmt(micro.naivePerS)} admits/s: ${micro.ratio.toFixed(1)}×; ${micro.leaseCalls} lease calls for ${micro.leasedAdmits} admits`,
    );
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * The gateway's ratios to the bare proxy (and its added latency over direct)
 * round by round, each from runs measured one after the other, and their
 * median: what to read when the machine's load moves during the bench.
 */
export function printPairedRatios(rows: Row[]): void {
  const rounds = [...new Set(rows.map((r) => r.round).filter((r) => r !== undefined))];
  if (rounds.length === 0) return;
  const at = (target: string, c: number, round: number) => rows.find((r) => r.target === target && r.connections === c && r.round === round);
  const x = (n: number) => `${n.toFixed(2)}×`;
  const ms = (n: number) => `${n >= 0 ? "+" : ""}${n.toFixed(3)} ms`;
  const list = (xs: number[], f: (n: number) => string) => (xs.length ? `${xs.map(f).join(", ")} → median ${f(median(xs))}` : "—");
  console.log("");
  for (const c of [32, 1]) {
    const rps: number[] = [];
    const cpu: number[] = [];
    for (const round of rounds) {
      const [gw, bare] = [at("gateway", c, round!), at("bare proxy", c, round!)];
      if (!gw || !bare) continue;
      rps.push(gw.load.rps / bare.load.rps);
      if (gw.proxyUs && bare.proxyUs) cpu.push(gw.proxyUs / bare.proxyUs);
    }
    if (rps.length) console.log(`paired by round, gateway / bare proxy, ${c} conn(s): throughput ${list(rps, x)}; CPU per request ${list(cpu, x)}`);
  }
  const p50: number[] = [];
  const p99: number[] = [];
  for (const round of rounds) {
    const [gw, direct] = [at("gateway", 1, round!), at("direct", 1, round!)];
    if (!gw || !direct) continue;
    p50.push(gw.load.p50Ms - direct.load.p50Ms);
    p99.push(gw.load.p99Ms - direct.load.p99Ms);
  }
  if (p50.length) console.log(`paired by round, gateway over direct, 1 conn: p50 ${list(p50, ms)}; p99 ${list(p99, ms)}`);
}

export type ProbeRow = { target: string; round: number; result: ProbeResult };

/**
 * Per-request latency at one connection (bench/latency-probe.ts): for each
 * target the median over rounds of each figure, then the gateway's added
 * latency over direct, round by round (paired) and its median.
 */
export function printProbes(probes: ProbeRow[]): void {
  if (probes.length === 0) return;
  const targets = [...new Set(probes.map((p) => p.target))];
  console.log("");
  console.log("per-request latency, 1 connection (each request timed on its own, no coordinated-omission correction; median of rounds):");
  console.log("| target | req/s | p50 ms | p99 ms | p99.9 ms | max ms | non-2xx/errors |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const target of targets) {
    const rs = probes.filter((p) => p.target === target).map((p) => p.result);
    const m = (f: (r: ProbeResult) => number) => median(rs.map(f));
    const cells = [target, fmt(m((r) => r.rps)), fmt(m((r) => r.p50Ms), 3), fmt(m((r) => r.p99Ms), 3), fmt(m((r) => r.p999Ms), 3), fmt(m((r) => r.maxMs), 1)];
    console.log(`| ${cells.join(" | ")} | ${rs.reduce((n, r) => n + r.non2xx + r.errors, 0)} |`);
  }
  const ms = (n: number) => `${n >= 0 ? "+" : ""}${n.toFixed(3)} ms`;
  for (const name of ["gateway", "bare proxy"]) {
    const p50: number[] = [];
    const p99: number[] = [];
    for (const p of probes.filter((x) => x.target === name)) {
      const direct = probes.find((x) => x.target === "direct" && x.round === p.round);
      if (!direct) continue;
      p50.push(p.result.p50Ms - direct.result.p50Ms);
      p99.push(p.result.p99Ms - direct.result.p99Ms);
    }
    if (p50.length === 0) continue;
    const goal = name === "gateway" ? " (target p50 ≤ +0.5 ms, p99 ≤ +2 ms)" : "";
    console.log(
      `per-request added latency vs direct, 1 conn, ${name}: p50 ${p50.map(ms).join(", ")} → median ${ms(median(p50))}; ` +
        `p99 ${p99.map(ms).join(", ")} → median ${ms(median(p99))}${goal}`,
    );
  }
}
