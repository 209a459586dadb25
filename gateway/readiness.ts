import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Db } from "../lib/db/client";

/** A dependency the gateway cannot serve without. `check` rejects when it is not usable. */
export type DependencyCheck = { name: string; check(): Promise<void> };

export const READINESS_TIMEOUT_MS = 1_500;

export function postgresCheck(db: Pick<Db, "$queryRaw">): DependencyCheck {
  return {
    name: "postgres",
    async check() {
      await db.$queryRaw`SELECT 1`;
    },
  };
}

/** Not connected right now counts as unavailable: no waiting for the next reconnect attempt. */
export function redisCheck(redis: Pick<Redis, "ping" | "status">): DependencyCheck {
  return {
    name: "redis",
    async check() {
      if (redis.status !== "ready") throw new Error(`redis client is ${redis.status}`);
      const reply = await redis.ping();
      if (reply !== "PONG") throw new Error(`unexpected PING reply ${JSON.stringify(reply)}`);
    },
  };
}

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export type Readiness = { ready: boolean; checks: Record<string, "ok" | "unavailable"> };

/**
 * Runs every check in parallel, each bounded by a timeout. The reason of a
 * failure goes to the log only; callers get "ok" or "unavailable" per name.
 */
export async function checkReadiness(
  checks: readonly DependencyCheck[],
  logger: Logger,
  timeoutMs: number = READINESS_TIMEOUT_MS,
): Promise<Readiness> {
  const results = await Promise.all(
    checks.map(async (c) => {
      try {
        await withTimeout(c.check(), timeoutMs);
        return [c.name, "ok"] as const;
      } catch (err) {
        logger.warn({ dependency: c.name, err: { message: (err as Error).message } }, "readiness check failed");
        return [c.name, "unavailable"] as const;
      }
    }),
  );
  return { ready: results.every(([, r]) => r === "ok"), checks: Object.fromEntries(results) };
}
