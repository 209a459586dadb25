import { loadConfigOrExit } from "../lib/config/env";
import { createLogger } from "../lib/log/logger";
import { parseSinkConfigs } from "../lib/log-shipping/sink-config";
import { createRedis } from "../lib/redis/connection";
import { upsertSchedules } from "./schedules";
import { startWorkers } from "./start-workers";

const SHUTDOWN_TIMEOUT_MS = 10_000;

const config = loadConfigOrExit();

const logger = createLogger("workers", { level: config.LOG_LEVEL });
const connection = createRedis({ forBullmq: true, connectionName: "mg-workers", logger });
const running = startWorkers({
  connection,
  concurrency: config.WORKER_CONCURRENCY,
  logger,
  usage: { batchSize: config.USAGE_BATCH_SIZE, claimIdleMs: config.USAGE_CLAIM_IDLE_MS },
  logShipping: {
    sinks: parseSinkConfigs(config.LOG_SINKS),
    intervalMs: config.LOG_SHIP_INTERVAL_MS,
    batchSize: config.LOG_SHIP_BATCH_SIZE,
    securitySettleSeconds: config.LOG_SHIP_SECURITY_SETTLE_SECONDS,
  },
});

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) {
    logger.warn({ signal }, "second signal: exiting without waiting for jobs");
    process.exit(1);
  }
  stopping = true;
  logger.info({ signal }, "workers stopping");
  setTimeout(() => {
    logger.error({ timeout_ms: SHUTDOWN_TIMEOUT_MS }, "workers did not stop in time; exiting");
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS).unref();
  try {
    await running.close();
    await connection.quit();
    logger.info("workers stopped");
    process.exit(0);
  } catch (err) {
    logger.error({ err: { message: (err as Error).message } }, "error while stopping workers");
    process.exit(1);
  }
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

try {
  await Promise.all(running.workers.map((w) => w.waitUntilReady()));
  await upsertSchedules(running.queues);
  logger.info(
    { queues: running.queueNames, concurrency: config.WORKER_CONCURRENCY, pid: process.pid },
    "workers ready",
  );
} catch (err) {
  if (!stopping) {
    logger.fatal({ err: { message: (err as Error).message } }, "workers failed to start");
    process.exit(1);
  }
}
