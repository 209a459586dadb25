import type { Redis } from "ioredis";
import { HEARTBEAT_TTL_SECONDS, WORKER_HEARTBEAT_KEY, type Heartbeat } from "../../lib/queue/worker-health";
import { workerIdentity, type WorkerIdentity } from "../worker-identity";

/**
 * `worker.heartbeat`: records that a worker is processing jobs. Idempotent: it
 * overwrites one key (TTL 90 s), so a retried or duplicated run changes nothing
 * but the timestamp.
 */
export async function processWorkerHeartbeat(
  redis: Redis,
  identity: WorkerIdentity = workerIdentity(),
  now: Date = new Date(),
): Promise<Heartbeat> {
  const beat: Heartbeat = { at: now.toISOString(), ...identity };
  await redis.set(WORKER_HEARTBEAT_KEY, JSON.stringify(beat), "EX", HEARTBEAT_TTL_SECONDS);
  return beat;
}
