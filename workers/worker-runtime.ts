import { randomUUID } from "node:crypto";
import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { beatWorkerAlive, recordSchedulerSuccess, removeWorkerAlive, type AliveWorker } from "../lib/queue/worker-health";
import { workerIdentity } from "./worker-identity";

const ALIVE_BEAT_MS = 10_000;

/**
 * What every BullMQ worker of ModelGate does besides running jobs: logs each
 * failure (as a dead letter once the final attempt failed), and records when
 * a job scheduler's job last succeeded (the operator console's health line).
 */
export function attachWorkerEvents(worker: Worker, redis: Redis, logger: Logger, namespace?: string): void {
  worker.on("completed", (job) => {
    if (!job.repeatJobKey) return;
    recordSchedulerSuccess(redis, job.repeatJobKey, job.id!, new Date(), namespace).catch((err: Error) =>
      logger.warn({ queue: worker.name, err: { message: err.message } }, "could not record the scheduler's success"),
    );
  });
  worker.on("failed", (job, err) => {
    const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
    const fields = {
      queue: worker.name,
      job_id: job?.id,
      job: job?.name,
      attempt: job?.attemptsMade,
      err: { message: err.message },
    };
    if (final) logger.error(fields, "job failed after its final attempt: dead letter (operator console → Workers)");
    else logger.warn(fields, "job failed; will retry with backoff");
  });
  worker.on("error", (err) => logger.error({ queue: worker.name, err: { message: err.message } }, "worker error"));
}

export type AliveBeat = { worker: AliveWorker; stop(): Promise<void> };

/**
 * Reports this process as alive every 10 s (a sorted set, read by the
 * operator console); a graceful stop removes it at once, a killed process
 * drops out after 30 s.
 */
export function startAliveBeat(redis: Redis, queues: string[], logger: Logger, namespace?: string): AliveBeat {
  const identity = workerIdentity();
  const worker: AliveWorker = {
    id: `${identity.hostname}-${identity.pid}-${randomUUID().slice(0, 8)}`,
    hostname: identity.hostname,
    pid: identity.pid,
    version: identity.version,
    startedAt: new Date().toISOString(),
    queues,
  };
  const beat = () =>
    beatWorkerAlive(redis, worker, Date.now(), namespace).catch((err: Error) =>
      logger.warn({ err: { message: err.message } }, "could not report the worker alive"),
    );
  void beat();
  const timer = setInterval(beat, ALIVE_BEAT_MS);
  timer.unref();
  return {
    worker,
    async stop() {
      clearInterval(timer);
      await removeWorkerAlive(redis, worker, namespace).catch(() => {});
    },
  };
}
