import type { Redis } from "ioredis";
import { createRedis } from "./connection";

const globalForRedis = globalThis as unknown as { __modelgateRedis?: Redis };

/**
 * The process-wide Redis client for short commands (publish, counters).
 * BullMQ workers and pub/sub subscribers need their own connections.
 */
export function getRedis(): Redis {
  globalForRedis.__modelgateRedis ??= createRedis({ connectionName: "mg-shared" });
  return globalForRedis.__modelgateRedis;
}

export async function closeSharedRedis(): Promise<void> {
  const redis = globalForRedis.__modelgateRedis;
  globalForRedis.__modelgateRedis = undefined;
  if (redis) await redis.quit().catch(() => redis.disconnect());
}
