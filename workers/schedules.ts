import { parseJobPayload, JOBS, type JobName, type JobPayloadInput } from "../lib/queue/jobs";
import type { QueueClient } from "../lib/queue/enqueue";

type Schedule<N extends JobName = JobName> = { job: N; every: number; payload: JobPayloadInput<N> };

/** Recurring jobs. The scheduler id is the job name: upserting again updates, never duplicates. */
export const SCHEDULES: Schedule[] = [{ job: "worker.heartbeat", every: 30_000, payload: {} }];

/** Creates or updates every job scheduler (BullMQ 6 job schedulers; repeatable jobs are gone). */
export async function upsertSchedules(queues: QueueClient, schedules: Schedule[] = SCHEDULES): Promise<void> {
  for (const s of schedules) {
    const data = parseJobPayload(s.job, s.payload);
    await queues.queue(JOBS[s.job].queue).upsertJobScheduler(s.job, { every: s.every }, { name: s.job, data });
  }
}
