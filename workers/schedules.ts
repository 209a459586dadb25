import { parseJobPayload, JOBS, type JobName, type JobPayloadInput } from "../lib/queue/jobs";
import type { QueueClient } from "../lib/queue/enqueue";
import { getConfig } from "../lib/config/env";

/** Every `every` ms, or on a cron `pattern` (UTC; a function, so configuration is read when upserting). */
type Schedule<N extends JobName = JobName> = { job: N; payload: JobPayloadInput<N> } & (
  | { every: number }
  | { pattern: () => string }
);

/** Recurring jobs. The scheduler id is the job name: upserting again updates, never duplicates. */
export const SCHEDULES: Schedule[] = [
  { job: "worker.heartbeat", every: 30_000, payload: {} },
  // Signed audit checkpoints (README "Audit trail"): every tenant's chain head, hourly.
  { job: "audit.checkpoint_all", every: 3_600_000, payload: {} },
  // Closes ended quota periods (each tenant's day/month ends at its own midnight); a close is idempotent.
  { job: "quota.close_periods", every: 5 * 60_000, payload: {} },
  { job: "retention.schedule", pattern: () => getConfig().RETENTION_CRON, payload: {} },
];

/** Creates or updates every job scheduler (BullMQ 6 job schedulers; repeatable jobs are gone). */
export async function upsertSchedules(queues: QueueClient, schedules: Schedule[] = SCHEDULES): Promise<void> {
  for (const s of schedules) {
    const data = parseJobPayload(s.job, s.payload);
    const repeat = "every" in s ? { every: s.every } : { pattern: s.pattern(), tz: "UTC" };
    await queues.queue(JOBS[s.job].queue).upsertJobScheduler(s.job, repeat, { name: s.job, data });
  }
}
