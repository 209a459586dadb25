import type { AddressInfo } from "node:net";
import { loadConfigOrExit } from "../lib/config/env";
import { getDb } from "../lib/db/client";
import { createLogger } from "../lib/log/logger";
import { createRedis } from "../lib/redis/connection";
import { postgresCheck, redisCheck } from "./readiness";
import { closeGatewayServer, createGatewayServer } from "./server";

const DRAIN_TIMEOUT_MS = 5_000;

const config = loadConfigOrExit();
const logger = createLogger("gateway", { level: config.LOG_LEVEL });
const db = getDb();
const redis = createRedis({ connectionName: "mg-gateway", logger });
const server = createGatewayServer({ logger, readiness: [postgresCheck(db), redisCheck(redis)] });

server.on("error", (err: NodeJS.ErrnoException) => {
  logger.fatal({ err: { message: err.message }, host: config.GATEWAY_HOST, port: config.GATEWAY_PORT }, "gateway cannot listen");
  process.exit(1);
});

server.listen(config.GATEWAY_PORT, config.GATEWAY_HOST, () => {
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  logger.info({ url: `http://${host}:${port}`, pid: process.pid }, "gateway listening");
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
    const { forced } = await closeGatewayServer(server, DRAIN_TIMEOUT_MS);
    if (forced) logger.warn("in-flight requests cut after the drain timeout");
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
