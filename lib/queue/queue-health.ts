import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import { readUsageStreamHealth } from "../usage/usage-dead-letter";
import type { QueueClient } from "./enqueue";
import { QUEUE_NAMES, type QueueName } from "./queues";
import { readAliveWorkers, readSchedulerSuccesses, readWorkerHealth } from "./worker-health";
import { deadLetterOutput, workersOverviewOutput, type DeadLetter, type WorkersOverview } from "./workers-schemas";

/**
 * The operator console's health line: per queue its depths and failed count
 * and, per job scheduler, when it runs next and when a job of it last
 * succeeded; the worker processes alive; and the heartbeat job.
 */
export async function readWorkersOverview(queues: QueueClient, redis: Redis, namespace?: string): Promise<WorkersOverview> {
  const successes = await readSchedulerSuccesses(redis, namespace);
  const queueHealth = [];
  for (const name of QUEUE_NAMES) {
    const q = queues.queue(name);
    const counts = await q.getJobCounts("waiting", "active", "delayed", "failed", "completed", "prioritized", "waiting-children");
    const schedulers = await q.getJobSchedulers(0, 99, true);
    queueHealth.push({
      name,
      counts: {
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts["waiting-children"] ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
        completed: counts.completed ?? 0,
      },
      paused: await q.isPaused(),
      schedulers: schedulers.map((s) => ({
        id: s.key,
        pattern: s.pattern ?? null,
        every: s.every ?? null,
        nextRunAt: s.next ? new Date(s.next).toISOString() : null,
        lastSuccessAt: successes[s.key]?.at ?? null,
      })),
    });
  }
  return workersOverviewOutput.parse({
    queues: queueHealth,
    workers: await readAliveWorkers(redis, Date.now(), namespace),
    heartbeat: await readWorkerHealth(redis),
    usageStream: await readUsageStreamHealth(redis),
  });
}

function deadLetterOf(queue: QueueName, job: Job): DeadLetter {
  const data = (job.data && typeof job.data === "object" ? job.data : {}) as Record<string, unknown>;
  return deadLetterOutput.parse({
    queue,
    id: job.id!,
    name: job.name,
    tenantId: typeof data.tenantId === "string" ? data.tenantId : null,
    attemptsMade: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    failedReason: (job.failedReason ?? "").slice(0, 1000),
    createdAt: new Date(job.timestamp).toISOString(),
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    payload: JSON.stringify(data).slice(0, 2000),
  });
}

/**
 * Dead letters: jobs in BullMQ's `failed` set, i.e. after their final attempt
 * (a job that will be retried waits in `delayed`, not here). Newest first.
 */
export async function listDeadLetters(queues: QueueClient, opts: { queue?: QueueName; limit: number }): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  for (const name of opts.queue ? [opts.queue] : QUEUE_NAMES) {
    const jobs = await queues.queue(name).getFailed(0, opts.limit - 1);
    out.push(...jobs.filter(Boolean).map((j) => deadLetterOf(name, j)));
  }
  return out.sort((a, b) => (b.failedAt ?? "").localeCompare(a.failedAt ?? "")).slice(0, opts.limit);
}

async function failedJob(queues: QueueClient, queue: QueueName, jobId: string): Promise<Job | null> {
  const job = await queues.queue(queue).getJob(jobId);
  if (!job || !(await job.isFailed())) return null;
  return job;
}

/** Puts a dead letter back in the queue with a fresh set of attempts; null when it is not (or no longer) failed. */
export async function retryDeadLetter(queues: QueueClient, queue: QueueName, jobId: string): Promise<DeadLetter | null> {
  const job = await failedJob(queues, queue, jobId);
  if (!job) return null;
  const before = deadLetterOf(queue, job);
  await job.retry("failed", { resetAttemptsMade: true });
  return before;
}

/** Removes a dead letter for good; null when it is not (or no longer) failed. */
export async function discardDeadLetter(queues: QueueClient, queue: QueueName, jobId: string): Promise<DeadLetter | null> {
  const job = await failedJob(queues, queue, jobId);
  if (!job) return null;
  const before = deadLetterOf(queue, job);
  await job.remove();
  return before;
}
