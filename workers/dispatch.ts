import { UnrecoverableError, type Job, type Processor } from "bullmq";
import type { Logger } from "pino";
import { JOBS, isJobName, JobPayloadError, parseJobPayload, type JobName, type JobPayload } from "../lib/queue/jobs";
import type { QueueName } from "../lib/queue/queues";
import { withContext } from "../lib/log/logger";

export type JobContext = {
  job: Job;
  logger: Logger;
  /** The worker's lock token of this job (for job.moveToDelayed when handing a job back). */
  token?: string;
  /**
   * Aborted when the worker process is stopping (SIGTERM/SIGINT) or BullMQ
   * cancels the job. A long job checks it between steps and either finishes
   * the step and returns, or hands the job back (it resumes elsewhere).
   */
  stopping: AbortSignal;
};
export type JobHandler<N extends JobName> = (payload: JobPayload<N>, ctx: JobContext) => Promise<unknown>;
export type JobHandlers = { [N in JobName]: JobHandler<N> };

/**
 * The BullMQ processor of one queue: finds the handler by job name and parses
 * the stored payload again before handing it over. A job that is unknown, on
 * the wrong queue or with a bad payload fails at once, without retries.
 */
export function createProcessor(
  queue: QueueName,
  handlers: JobHandlers,
  logger: Logger,
  opts: { stopping?: AbortSignal } = {},
): Processor {
  return async (job, token, signal) => {
    const name = job.name;
    if (!isJobName(name) || JOBS[name].queue !== queue) {
      throw new UnrecoverableError(`no handler for job ${JSON.stringify(name)} on queue ${queue}`);
    }
    let payload: JobPayload<typeof name>;
    try {
      payload = parseJobPayload(name, job.data);
    } catch (err) {
      if (err instanceof JobPayloadError) throw new UnrecoverableError(err.message);
      throw err;
    }
    const tenantId = (payload as { tenantId?: string }).tenantId;
    const jobLogger = withContext(logger, { tenantId, actor: "system" }).child({ job_id: job.id, job: name });
    const handler = handlers[name] as JobHandler<typeof name>;
    const signals = [opts.stopping, signal].filter((s): s is AbortSignal => s !== undefined);
    const stopping = signals.length === 1 ? signals[0]! : AbortSignal.any(signals);
    return handler(payload, { job, logger: jobLogger, token, stopping });
  };
}
