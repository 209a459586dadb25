import type { Redis } from "ioredis";
import { createRedis } from "../redis/connection";
import { createQueueClient, type QueueClient } from "./enqueue";

const globalForQueues = globalThis as unknown as { __modelgateQueues?: { connection: Redis; client: QueueClient } };

/**
 * The process-wide producer of the console and the CLI (enqueueing, and the
 * operator's view of the queues), on a BullMQ connection of its own, opened
 * on first use. Worker processes use their own (workers/start-workers.ts).
 */
export function getQueueClient(): QueueClient {
  globalForQueues.__modelgateQueues ??= (() => {
    const connection = createRedis({ forBullmq: true, connectionName: "mg-queue-client" });
    return { connection, client: createQueueClient({ connection }) };
  })();
  return globalForQueues.__modelgateQueues.client;
}

/** The connection behind getQueueClient (health reads share it). */
export function getQueueConnection(): Redis {
  getQueueClient();
  return globalForQueues.__modelgateQueues!.connection;
}

export async function closeQueueClient(): Promise<void> {
  const shared = globalForQueues.__modelgateQueues;
  globalForQueues.__modelgateQueues = undefined;
  if (!shared) return;
  await shared.client.close();
  await shared.connection.quit().catch(() => shared.connection.disconnect());
}
