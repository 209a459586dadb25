/**
 * Where a process spent its CPU, from a V8 `.cpuprofile` (node --cpu-prof):
 * time by area (syscalls, GC, gateway code, each library, node internals),
 * then the frames with the most self time, then this repository's frames by
 * inclusive time. Samples from the first `--skip` seconds (start-up: module
 * loading, compilation) are left out; idle time is never counted.
 *
 *   BENCH_TARGETS=bare,gateway BENCH_GATEWAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench
 *   npx tsx bench/profile-summary.ts /tmp/prof/CPU.*.cpuprofile [--top 30] [--skip 6]
 *
 * A profiled process is slower than an unprofiled one: read shares, not
 * absolute times, and never compare a profiled target with an unprofiled one.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; startTime: number; samples: number[]; timeDeltas: number[] };

const ROOT = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args.splice(i, 2)[1]) : fallback;
};
const TOP = option("--top", 30);
const SKIP_S = option("--skip", 6);
const SYSCALLS = new Set(["writev", "writeUtf8String", "writeBuffer", "writeLatin1String", "writeAsciiString"]);

function label(node: Node): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^file:\/\//, "").replace(`${ROOT}/`, "").replace(/^.*node_modules\//, "~/");
  return `${functionName || "(anonymous)"} ${where}${where ? `:${lineNumber + 1}` : ""}`;
}

function area(node: Node): string | null {
  const { functionName, url } = node.callFrame;
  if (functionName === "(idle)") return null;
  if (SYSCALLS.has(functionName)) return "socket writes (syscalls)";
  if (functionName === "(garbage collector)") return "garbage collector";
  if (functionName === "(program)") return "V8 (program)";
  const modules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (modules) return `library ${modules[1]}`;
  if (url.includes(`${ROOT}/`)) return `repository ${url.split(`${ROOT}/`)[1]!.split("/")[0]}/`;
  if (url.startsWith("node:")) return `node ${url.slice(5).replace(/^internal\//, "").split("/")[0]}`;
  return url ? "other" : `native ${functionName}`;
}

function summarize(file: string): void {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<number, number>();
  let clock = profile.startTime;
  const from = profile.startTime + SKIP_S * 1e6;
  for (let i = 0; i < profile.samples.length; i++) {
    clock += profile.timeDeltas[i] ?? 0;
    if (clock >= from) self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byArea = new Map<string, number>();
  const bySelf = new Map<string, number>();
  const byInclusive = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const a = area(node);
    if (a === null) continue;
    total += us;
    byArea.set(a, (byArea.get(a) ?? 0) + us);
    bySelf.set(label(node), (bySelf.get(label(node)) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      if (!n.callFrame.url.includes(`${ROOT}/`) || n.callFrame.url.includes("/node_modules/")) continue;
      const l = label(n);
      if (seen.has(l)) continue;
      seen.add(l);
      byInclusive.set(l, (byInclusive.get(l) ?? 0) + us);
    }
  }
  const share = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log(`${path.basename(file)}: ${(total / 1000).toFixed(0)} ms of CPU after the first ${SKIP_S} s`);
  console.log("\nby area:");
  for (const [k, us] of top(byArea, 20)) console.log(`${share(us)}  ${k}`);
  console.log("\nself time:");
  for (const [k, us] of top(bySelf, TOP)) console.log(`${share(us)}  ${k}`);
  console.log("\nthis repository, inclusive:");
  for (const [k, us] of top(byInclusive, TOP)) console.log(`${share(us)}  ${k}`);
}

if (args.length === 0) {
  console.error("usage: npx tsx bench/profile-summary.ts <file.cpuprofile>... [--top N] [--skip seconds]");
  process.exit(1);
}
for (const file of args) summarize(file);
