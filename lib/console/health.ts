import "server-only";
import { getDb } from "../db/client";
import { createLogger } from "../log/logger";

export type Health = { status: "ok" | "degraded"; checks: { database: "ok" | "unavailable" } };

const log = createLogger("web").child({ component: "health" });

/** Liveness plus a database round trip; says which dependency failed, never why. */
export async function checkHealth(timeoutMs = 2000): Promise<Health> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      getDb().$queryRaw`SELECT 1`,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`database check timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: "ok", checks: { database: "ok" } };
  } catch (err) {
    log.warn({ err }, "database health check failed");
    return { status: "degraded", checks: { database: "unavailable" } };
  } finally {
    clearTimeout(timer);
  }
}
