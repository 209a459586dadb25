import type { AuditContext } from "../audit/record-audit";
import { getDb, type Db } from "../db/client";
import { AppError } from "../errors/app-error";
import type { QueueClient } from "./enqueue";
import { discardDeadLetter, retryDeadLetter } from "./queue-health";
import type { QueueName } from "./queues";
import type { DeadLetter } from "./workers-schemas";

async function recordJobAction(db: Db, ctx: AuditContext, action: string, job: DeadLetter): Promise<void> {
  await db.platformAuditLog.create({
    data: {
      action,
      actorType: ctx.actor.type,
      actorId: ctx.actor.id ?? null,
      targetType: "job",
      targetId: `${job.queue}/${job.id}`,
      requestId: ctx.requestId ?? null,
      ip: ctx.ip ?? null,
      userAgent: ctx.userAgent ?? null,
      metadata: { name: job.name, tenantId: job.tenantId, attemptsMade: job.attemptsMade, failedReason: job.failedReason.slice(0, 300) },
    },
  });
}

/**
 * An operator puts a dead letter back in its queue (fresh attempts), or
 * discards it. Recorded in the platform audit log. A job that is not in the
 * failed set (unknown, already retried or discarded) is 404.
 */
export async function operatorRetryJob(queues: QueueClient, queue: QueueName, jobId: string, ctx: AuditContext, db: Db = getDb()): Promise<DeadLetter> {
  const job = await retryDeadLetter(queues, queue, jobId);
  if (!job) throw new AppError("not_found", "No failed job with that id in this queue");
  await recordJobAction(db, ctx, "job.retry", job);
  return job;
}

export async function operatorDiscardJob(queues: QueueClient, queue: QueueName, jobId: string, ctx: AuditContext, db: Db = getDb()): Promise<DeadLetter> {
  const job = await discardDeadLetter(queues, queue, jobId);
  if (!job) throw new AppError("not_found", "No failed job with that id in this queue");
  await recordJobAction(db, ctx, "job.discard", job);
  return job;
}
