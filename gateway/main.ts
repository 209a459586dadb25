import type { AddressInfo } from "node:net";
import { loadConfigOrExit } from "../lib/config/env";
import { getDb } from "../lib/db/client";
import { createLogger } from "../lib/log/logger";
import { createRateLimiter } from "../lib/policy/rate-limiter";
import { createRedis } from "../lib/redis/connection";
import { createAdminServer } from "./admin-server";
import { createGateway } from "./gateway";
import { createGatewayMetrics } from "./metrics";
import { postgresCheck, redisCheck } from "./readiness";

const DRAIN_TIMEOUT_MS = 5_000;

const config = loadConfigOrExit();
const logger = createLogger("gateway", { level: config.LOG_LEVEL });
const db = getDb();
const redis = createRedis({ connectionName: "mg-gateway", logger });
// Subscribed connections run no other command, and this one waits for Redis instead of failing.
const subscriber = createRedis({ connectionName: "mg-gateway-invalidation", logger, forBullmq: true });
// Leases of up to 500 permits: a busy bucket (thousands of requests a second) then costs one
// Redis script call per few hundred requests, not per 100. Small limits are unaffected: Redis
// grants at most remaining / (2 × instances) per lease, and unused permits go back after 1 s idle.
const limiter = createRateLimiter(redis, { leaseSize: 500 });
const metrics = createGatewayMetrics({ defaultMetrics: true });
const gateway = createGateway({
  logger,
  db,
  redis,
  subscriber,
  limiter,
  metrics,
  readiness: [postgresCheck(db), redisCheck(redis)],
  trustedProxies: config.TRUSTED_PROXIES,
  maxBodyBytes: config.GATEWAY_MAX_BODY_BYTES,
  upstreamConnections: config.GATEWAY_UPSTREAM_CONNECTIONS,
  quotaOptions: { leaseSize: config.QUOTA_LEASE_SIZE, syncIntervalMs: config.QUOTA_SYNC_INTERVAL_MS },
});
const { server } = gateway;
const admin = createAdminServer(metrics.registry);

function urlOf(s: typeof server): string {
  const { address, port } = s.address() as AddressInfo;
  return `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
}

for (const [name, s, port, host] of [
  ["gateway", server, config.GATEWAY_PORT, config.GATEWAY_HOST],
  ["admin", admin, config.GATEWAY_ADMIN_PORT, config.GATEWAY_ADMIN_HOST],
] as const) {
  s.on("error", (err: NodeJS.ErrnoException) => {
    logger.fatal({ err: { message: err.message }, host, port }, `${name} cannot listen`);
    process.exit(1);
  });
}

server.listen(config.GATEWAY_PORT, config.GATEWAY_HOST, () => {
  logger.info({ url: urlOf(server), pid: process.pid }, "gateway listening");
});
admin.listen(config.GATEWAY_ADMIN_PORT, config.GATEWAY_ADMIN_HOST, () => {
  logger.info({ url: `${urlOf(admin)}/metrics` }, "gateway metrics listening");
});

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) {
    logger.warn({ signal }, "second signal: exiting now");
    process.exit(1);
  }
  stopping = true;
  logger.info({ signal, in_flight_timeout_ms: DRAIN_TIMEOUT_MS }, "gateway stopping");
  try {
    admin.close();
    const { forced } = await gateway.close(DRAIN_TIMEOUT_MS);
    if (forced) logger.warn("in-flight requests cut after the drain timeout");
    await limiter.close();
    subscriber.disconnect();
    await Promise.allSettled([redis.quit(), db.$disconnect()]);
    logger.info("gateway stopped");
    process.exit(0);
  } catch (err) {
    logger.error({ err: { message: (err as Error).message } }, "error while stopping the gateway");
    process.exit(1);
  }
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
