import { readFileSync } from "node:fs";
import { hostname } from "node:os";

export type WorkerIdentity = { pid: number; hostname: string; version: string };

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : "unknown";
  } catch {
    return "unknown";
  }
}

let cached: WorkerIdentity | undefined;

/** Who this worker process is, as written into its heartbeat. */
export function workerIdentity(): WorkerIdentity {
  cached ??= { pid: process.pid, hostname: hostname(), version: packageVersion() };
  return cached;
}
