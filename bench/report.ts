/** The benchmark's table and the ratios the gateway issue sets targets for. */
import type { MicroResult } from "./limiter-micro";
import type { LoadResult } from "./load";

export type Row = { target: string; connections: number; load: LoadResult; proxyUs?: number; backendUs?: number; redisUs?: number };

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
