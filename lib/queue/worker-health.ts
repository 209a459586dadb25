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
