import type { Job, Worker } from "bullmq";
import type { QueueName } from "../../lib/queue/queues";
import type { RunningWorkers } from "../../workers/start-workers";

export type JobOutcome = "completed" | "failed";

/**
 * Resolves with the job once `queue`'s worker reports `event` for `jobId`.
 *
 * By default a job that got there already counts too: a job added just before
 * the call can finish before the listener is attached (a fast failing job does,
 * on a busy machine), and waiting for its event would then time out. "failed"
 * is emitted for every failed attempt, so a job waiting for its next attempt
 * (delayed, with a failed reason) has failed already as well.
 * Pass `{ next: true }` to wait for the next run only, e.g. after a retry of a
 * job that has failed before; then start waiting before triggering the run.
 */
export function waitForJob(
  running: RunningWorkers,
  queue: QueueName,
  jobId: string,
  event: JobOutcome,
  { timeoutMs = 15_000, next = false }: { timeoutMs?: number; next?: boolean } = {},
): Promise<Job> {
  const worker: Worker = running.workers.find((w) => w.name === queue)!;
  return new Promise<Job>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, job?: Job) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off(event, onEvent);
      if (error) reject(error);
      else resolve(job!);
    };
    const timer = setTimeout(() => finish(new Error(`job ${queue}/${jobId} not ${event} within ${timeoutMs} ms`)), timeoutMs);
    function onEvent(job: Job | undefined) {
      if (job?.id === jobId) finish(null, job);
    }
    worker.on(event, onEvent);
    if (next) return;
    void (async () => {
      const job = await running.queues.queue(queue).getJob(jobId);
      if (!job) return;
      const state = await job.getState();
      const already = event === "completed" ? state === "completed" : state === "failed" || (job.attemptsMade > 0 && Boolean(job.failedReason));
      if (already) finish(null, job);
    })().catch((error: unknown) => finish(error instanceof Error ? error : new Error(String(error))));
  });
}
