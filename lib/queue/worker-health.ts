import type { Redis } from "ioredis";
import { z } from "zod";
import { globalKey } from "../redis/keys";

/** Written by the `worker.heartbeat` job (every 30 s); expires when no worker runs it. */
export const WORKER_HEARTBEAT_KEY = globalKey("workers", "heartbeat");
export const HEARTBEAT_TTL_SECONDS = 90;

export const heartbeatSchema = z.object({
  at: z.iso.datetime(),
  pid: z.number().int(),
  hostname: z.string(),
  version: z.string(),
});
export type Heartbeat = z.infer<typeof heartbeatSchema>;

export type WorkerHealth = {
  up: boolean;
  /** ISO time of the last heartbeat, or null when none is stored. */
  lastSeen: string | null;
  ageSeconds: number | null;
};

/** Pure part of readWorkerHealth: what a stored heartbeat (or none) means at `now`. */
export function healthFromHeartbeat(raw: string | null, now: Date = new Date()): WorkerHealth {
  if (raw === null) return { up: false, lastSeen: null, ageSeconds: null };
  let beat: Heartbeat;
  try {
    beat = heartbeatSchema.parse(JSON.parse(raw));
  } catch {
    return { up: false, lastSeen: null, ageSeconds: null };
  }
  const ageSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(beat.at)) / 1000));
  return { up: ageSeconds <= HEARTBEAT_TTL_SECONDS, lastSeen: beat.at, ageSeconds };
}

/**
 * Whether some worker processed a heartbeat job within the last 90 s. Says
 * nothing about which host (that stays in Redis, out of health responses).
 */
export async function readWorkerHealth(redis: Redis, now: Date = new Date()): Promise<WorkerHealth> {
  return healthFromHeartbeat(await redis.get(WORKER_HEARTBEAT_KEY), now);
}

/**
 * Where the worker processes report themselves (`namespace` lets tests keep
 * their own): a sorted set of live workers scored by their last beat, and a
 * hash of each job scheduler's last successful job.
 */
export function workerHealthKeys(namespace = "worker-health") {
  return { alive: globalKey(namespace, "alive"), schedulers: globalKey(namespace, "schedulers") };
}

/** A worker process is alive while it beats at least this often (it beats every 10 s). */
export const WORKER_ALIVE_WINDOW_MS = 30_000;

export const aliveWorkerSchema = z.object({
  id: z.string(),
  hostname: z.string(),
  pid: z.number().int(),
  version: z.string(),
  startedAt: z.iso.datetime(),
  queues: z.array(z.string()),
});
export type AliveWorker = z.infer<typeof aliveWorkerSchema>;

/** Called by each worker process on a timer: it is alive, as of `now`. */
export async function beatWorkerAlive(redis: Redis, worker: AliveWorker, now = Date.now(), namespace?: string): Promise<void> {
  const { alive } = workerHealthKeys(namespace);
  await redis
    .multi()
    .zadd(alive, now, JSON.stringify(aliveWorkerSchema.parse(worker)))
    .zremrangebyscore(alive, "-inf", now - WORKER_ALIVE_WINDOW_MS)
    .pexpire(alive, WORKER_ALIVE_WINDOW_MS * 4)
    .exec();
}

/** A worker that stops gracefully leaves the set at once. */
export async function removeWorkerAlive(redis: Redis, worker: AliveWorker, namespace?: string): Promise<void> {
  await redis.zrem(workerHealthKeys(namespace).alive, JSON.stringify(aliveWorkerSchema.parse(worker)));
}

export async function readAliveWorkers(
  redis: Redis,
  now = Date.now(),
  namespace?: string,
): Promise<(AliveWorker & { lastSeen: string })[]> {
  const raw = await redis.zrangebyscore(workerHealthKeys(namespace).alive, now - WORKER_ALIVE_WINDOW_MS, "+inf", "WITHSCORES");
  const out: (AliveWorker & { lastSeen: string })[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    try {
      out.push({ ...aliveWorkerSchema.parse(JSON.parse(raw[i]!)), lastSeen: new Date(Number(raw[i + 1])).toISOString() });
    } catch {
      // a malformed member is ignored (and trimmed once its score ages out)
    }
  }
  return out;
}

const schedulerSuccessSchema = z.object({ at: z.iso.datetime(), jobId: z.string() });
export type SchedulerSuccess = z.infer<typeof schedulerSuccessSchema>;

/** After a job created by a job scheduler completes: its scheduler last succeeded now. */
export async function recordSchedulerSuccess(
  redis: Redis,
  schedulerId: string,
  jobId: string,
  at = new Date(),
  namespace?: string,
): Promise<void> {
  await redis.hset(workerHealthKeys(namespace).schedulers, schedulerId, JSON.stringify({ at: at.toISOString(), jobId }));
}

export async function readSchedulerSuccesses(redis: Redis, namespace?: string): Promise<Record<string, SchedulerSuccess>> {
  const raw = await redis.hgetall(workerHealthKeys(namespace).schedulers);
  const out: Record<string, SchedulerSuccess> = {};
  for (const [id, value] of Object.entries(raw)) {
    const parsed = schedulerSuccessSchema.safeParse((() => { try { return JSON.parse(value); } catch { return null; } })());
    if (parsed.success) out[id] = parsed.data;
  }
  return out;
}
