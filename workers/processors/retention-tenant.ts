import { DelayedError } from "bullmq";
import type { Db } from "../../lib/db/client";
import type { JobPayload } from "../../lib/queue/jobs";
import { RetentionInterrupted, runTenantRetention } from "../../lib/retention/run-retention";
import type { RetentionRunResult } from "../../lib/retention/retention-schemas";
import type { JobContext } from "../dispatch";

/** A stopping worker hands the job back this long before it may be picked up again. */
const HAND_BACK_DELAY_MS = 1_000;

/**
 * `retention.tenant`: deletes one tenant's expired data (lib/retention) under
 * the run key = this job's id, so a retry — after a crash, a failure or a
 * hand-back — continues the same run: finished classes are skipped, counts
 * carry on. When the worker is stopping it finishes the current batch and
 * hands the job back (delayed), instead of holding shutdown up. A class that
 * failed fails the job, so BullMQ retries it with backoff.
 */
export async function processRetentionTenant(
  payload: JobPayload<"retention.tenant">,
  ctx: JobContext,
  opts: { db?: Db; batchSize?: number } = {},
): Promise<RetentionRunResult> {
  let result: RetentionRunResult;
  try {
    result = await runTenantRetention(payload.tenantId, {
      runKey: ctx.job.id!,
      trigger: payload.trigger,
      db: opts.db,
      batchSize: opts.batchSize,
      shouldStop: () => ctx.stopping.aborted,
    });
  } catch (err) {
    if (err instanceof RetentionInterrupted && ctx.token) {
      ctx.logger.info("retention: worker stopping, job handed back; it resumes where it stopped");
      await ctx.job.moveToDelayed(Date.now() + HAND_BACK_DELAY_MS, ctx.token);
      throw new DelayedError();
    }
    throw err;
  }
  const failed = result.classes.filter((c) => c.status === "failed");
  for (const c of result.classes) {
    ctx.logger.info({ data_class: c.dataClass, status: c.status, deleted: c.deletedCount }, "retention: class done");
  }
  if (failed.length) {
    throw new Error(`retention failed for ${failed.map((c) => `${c.dataClass} (${c.error})`).join(", ")}`);
  }
  return result;
}
