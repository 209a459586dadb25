import { Redis } from "ioredis";
import type { Logger } from "pino";
import { getConfig } from "../config/env";
import { createLogger } from "../log/logger";

export { globalKey, tenantKey, RedisKeyError } from "./keys";

export type CreateRedisOptions = {
  /**
   * BullMQ workers block on Redis and must never give up on a command:
   * `maxRetriesPerRequest: null`. Every other client fails a command after one
   * reconnect attempt, so a request path never hangs on a dead Redis.
   */
  forBullmq?: boolean;
  /** Defaults to the process's REDIS_URL. */
  url?: string;
  /** Shown by `CLIENT LIST`, e.g. `mg-gateway`. */
  connectionName?: string;
  logger?: Logger;
};

const ERROR_LOG_INTERVAL_MS = 30_000;
let defaultLogger: Logger | undefined;

/**
 * A new ioredis client. The caller owns it and ends it with `quit()`.
 * Connection errors are logged (at most one line per message every 30 s while
 * Redis stays down) instead of surfacing as unhandled `error` events.
 */
export function createRedis(opts: CreateRedisOptions = {}): Redis {
  const url = opts.url ?? getConfig().REDIS_URL;
  const redis = new Redis(url, {
    connectionName: opts.connectionName,
    maxRetriesPerRequest: opts.forBullmq ? null : 1,
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(times * 200, 5_000),
  });
  const logger = opts.logger ?? (defaultLogger ??= createLogger("redis"));
  let lastMessage = "";
  let lastLoggedAt = 0;
  redis.on("error", (err: Error) => {
    const now = Date.now();
    if (err.message === lastMessage && now - lastLoggedAt < ERROR_LOG_INTERVAL_MS) return;
    lastMessage = err.message;
    lastLoggedAt = now;
    logger.warn({ err: { message: err.message }, connection: opts.connectionName }, "redis connection error");
  });
  redis.on("ready", () => {
    lastMessage = "";
  });
  return redis;
}
