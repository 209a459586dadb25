import { loadConfigOrExit } from "../lib/config/env";
import { createLogger } from "../lib/log/logger";
import { createRedis } from "../lib/redis/connection";
import { upsertSchedules } from "./schedules";
import { startWorkers } from "./start-workers";

const SHUTDOWN_TIMEOUT_MS = 10_000;

const config = loadConfigOrExit();

const logger = createLogger("workers", { level: config.LOG_LEVEL });
const connection = createRedis({ forBullmq: true, connectionName: "mg-workers", logger });
const running = startWorkers({ connection, concurrency: config.WORKER_CONCURRENCY, logger });

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
