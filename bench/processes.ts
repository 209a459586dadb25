/**
 * Child processes of the benchmark: spawned pinned to a CPU (when taskset
 * exists), waited for until they answer HTTP, measured through /proc, and
 * always stopped (SIGTERM, then SIGKILL after a grace period).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { request } from "undici";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const TASKSET = "/usr/bin/taskset";
export const HAS_TASKSET = existsSync(TASKSET) && process.env.BENCH_PIN !== "0";
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ): 100 on every Linux this runs on. */
const USER_HZ = 100;

export type Child = { name: string; proc: ChildProcess; output: () => string };
const children: Child[] = [];

/** Runs `command args`, pinned to `cpu` when taskset exists (taskset execs, so the pid is the command's). */
export function start(name: string, command: string, args: string[], opts: { cpu?: string; env?: Record<string, string> } = {}): Child {
  const [cmd, argv] = HAS_TASKSET && opts.cpu !== undefined ? [TASKSET, ["-c", opts.cpu, command, ...args]] : [command, args];
  const proc = spawn(cmd, argv, { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  proc.stdout!.on("data", keep);
  proc.stderr!.on("data", keep);
  const child = { name, proc, output: () => tail };
  children.push(child);
  return child;
}

/** A TypeScript entry point run by node with the tsx loader (no npx wrapper: the pid is node's). */
export function startTs(name: string, script: string, opts: { cpu?: string; env?: Record<string, string>; nodeArgs?: string[] } = {}): Child {
  return start(name, process.execPath, [...(opts.nodeArgs ?? []), "--import", "tsx", script], opts);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `url` answers HTTP at all (any status); fails after `timeoutMs` or when the child exits. */
export async function waitForHttp(child: Child, url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) {
      throw new Error(`${child.name} exited (${child.proc.exitCode ?? child.proc.signalCode}) before it answered:\n${child.output()}`);
    }
    try {
      const res = await request(url, { headersTimeout: 1_000, bodyTimeout: 1_000 });
      await res.body.dump();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms:\n${child.output()}`);
}

/** CPU time (user + system) a process has used so far, in microseconds. */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces) start at state (field 3); utime, stime are 14, 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / USER_HZ;
}

/**
 * CPU time all local processes named `name` (e.g. postgres: its backends,
 * WAL writer, checkpointer, autovacuum) have used so far, in microseconds;
 * null without /proc. Processes that exit in between are not counted.
 */
export function cpuMicrosOfAll(name: string): number | null {
  if (!existsSync("/proc/self/stat")) return null;
  let total = 0;
  for (const pid of pidsNamed(name)) {
    try {
      total += cpuMicros(pid);
    } catch {
      // exited while we looked
    }
  }
  return total;
}

/** Pids of the local processes named `name` (from /proc). */
export function pidsNamed(name: string): number[] {
  if (!existsSync("/proc/self/stat")) return [];
  return readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const stat = readFileSync(`/proc/${e}/stat`, "utf8");
        return stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) === name;
      } catch {
        return false;
      }
    })
    .map(Number);
}

export async function stop(child: Child, graceMs = 3_000): Promise<void> {
  const { proc } = child;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  proc.kill("SIGTERM");
  const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all(children.splice(0).map((c) => stop(c)));
}
