import type { Actor } from "../audit/record-audit";
import { recordAudit } from "../audit/record-audit";
import { getConfig } from "../config/env";
import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { auditPruner, type AuditPruner } from "./audit-pruner";
import { cutoffFor, DATA_CLASSES, type DataClass } from "./data-classes";
import { deleteExpiredBatch, oldestRowTime } from "./delete-expired";
import { readPolicies } from "./policies";
import type { RetentionRunResult } from "./retention-schemas";

/** Who retention audit entries name. */
export const RETENTION_ACTOR: Actor = { type: "system", id: "retention" };
/** Finished run records older than this are removed by the next run. */
const RUN_HISTORY_DAYS = 180;

/** Thrown between batches when the process is stopping (or a bounded run is used up). */
export class RetentionInterrupted extends Error {
  constructor(reason = "retention run interrupted") {
    super(reason);
    this.name = "RetentionInterrupted";
  }
}

export type RunRetentionOptions = {
  /**
   * Names the run: the BullMQ job id, or `cli:<uuid>`. Running the same key
   * again continues an unfinished run (same cutoff, counts added to the same
   * record) and skips the classes it already finished.
   */
  runKey: string;
  trigger: "schedule" | "manual";
  now?: Date;
  batchSize?: number;
  /** Pause between batches (default RETENTION_BATCH_PAUSE_MS). */
  pauseMs?: number;
  classes?: readonly DataClass[];
  db?: Db;
  /** Checked before each batch; true → RetentionInterrupted (the run resumes later). */
  shouldStop?: () => boolean;
  /** Test hook: stop (as if killed) after this many batches of the whole run. */
  maxBatches?: number;
  pruneAudit?: AuditPruner | null;
};

type ClassResult = RetentionRunResult["classes"][number];

/**
 * Deletes a tenant's expired rows, class by class, in batches of one short
 * transaction each; each batch and its count in `retention_runs` commit
 * together, so the counts are exact across crashes. A class that finishes
 * gets its oldest kept row recorded and one `retention.run` audit entry with
 * its count, in the same transaction. A failing class is recorded as failed
 * and the others still run; the caller decides whether to retry.
 */
export async function runTenantRetention(tenantId: string, opts: RunRetentionOptions): Promise<RetentionRunResult> {
  const db = opts.db ?? getDb();
  const now = opts.now ?? new Date();
  const batchSize = opts.batchSize ?? getConfig().RETENTION_BATCH_SIZE;
  const pauseMs = opts.pauseMs ?? getConfig().RETENTION_BATCH_PAUSE_MS;
  const pruneAudit = opts.pruneAudit === undefined ? auditPruner() : opts.pruneAudit;
  const policies = await withTenant(tenantId, (tx) => readPolicies(tx, tenantId), db);
  let batchesLeft = opts.maxBatches ?? Number.POSITIVE_INFINITY;
  const results: ClassResult[] = [];

  for (const dataClass of opts.classes ?? DATA_CLASSES) {
    const days = policies[dataClass].days;
    if (dataClass === "audit_logs" && !pruneAudit) {
      results.push({ dataClass, status: "skipped", deletedCount: 0, cutoff: cutoffFor(days, now).toISOString(), oldestKeptAt: null, error: "audit pruning is not available" });
      continue;
    }
    const run = await withTenant(
      tenantId,
      async (tx) => {
        const key = { tenantId_runKey_dataClass: { tenantId, runKey: opts.runKey, dataClass } };
        const existing = await tx.retentionRun.findUnique({ where: key });
        if (existing?.status === "succeeded") return existing;
        if (existing) return tx.retentionRun.update({ where: { id: existing.id }, data: { status: "running", error: null } });
        return tx.retentionRun.create({
          data: { tenantId, runKey: opts.runKey, dataClass, trigger: opts.trigger, status: "running", retentionDays: days, cutoff: cutoffFor(days, now) },
        });
      },
      db,
    );
    const summary = (status: ClassResult["status"], deleted: bigint, oldest: Date | null, error: string | null): ClassResult => ({
      dataClass,
      status,
      deletedCount: Number(deleted),
      cutoff: run.cutoff.toISOString(),
      oldestKeptAt: oldest?.toISOString() ?? null,
      error,
    });
    if (run.status === "succeeded") {
      results.push(summary("succeeded", run.deletedCount, run.oldestKeptAt, null));
      continue;
    }

    try {
      let from: Date | null = null;
      for (;;) {
        if (opts.shouldStop?.()) throw new RetentionInterrupted("stopping: the run continues when the job is picked up again");
        if (batchesLeft-- <= 0) throw new RetentionInterrupted("batch budget used up");
        let deleted: number;
        if (dataClass === "audit_logs") {
          deleted = await pruneAudit!(tenantId, run.cutoff, batchSize);
          if (deleted > 0) {
            await withTenant(tenantId, (tx) => tx.retentionRun.update({ where: { id: run.id }, data: { deletedCount: { increment: deleted }, batches: { increment: 1 } } }), db);
          }
        } else {
          const batch = await withTenant(
            tenantId,
            async (tx) => {
              const result = await deleteExpiredBatch(tx, dataClass, tenantId, run.cutoff, batchSize, from);
              if (result.deleted > 0) {
                await tx.retentionRun.update({ where: { id: run.id }, data: { deletedCount: { increment: result.deleted }, batches: { increment: 1 } } });
              }
              return result;
            },
            db,
          );
          deleted = batch.deleted;
          from = batch.lastTime ?? from;
        }
        if (deleted < batchSize) break;
        if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
      }
      const done = await withTenant(
        tenantId,
        async (tx) => {
          const oldest = await oldestRowTime(tx, dataClass, tenantId);
          const finished = await tx.retentionRun.update({
            where: { id: run.id },
            data: { status: "succeeded", finishedAt: new Date(), oldestKeptAt: oldest },
          });
          await recordAudit(tx, tenantId, {
            actor: RETENTION_ACTOR,
            action: "retention.run",
            target: { type: "retention_class", id: dataClass },
            metadata: {
              runKey: opts.runKey,
              trigger: opts.trigger,
              deleted: Number(finished.deletedCount),
              batches: finished.batches,
              retentionDays: finished.retentionDays,
              cutoff: finished.cutoff.toISOString(),
              oldestKeptAt: oldest?.toISOString() ?? null,
            },
          });
          return finished;
        },
        db,
      );
      results.push(summary("succeeded", done.deletedCount, done.oldestKeptAt, null));
    } catch (err) {
      if (err instanceof RetentionInterrupted) throw err;
      const message = ((err as Error).message ?? String(err)).split("\n").pop()!.slice(0, 500);
      const failed = await withTenant(
        tenantId,
        (tx) => tx.retentionRun.update({ where: { id: run.id }, data: { status: "failed", error: message, finishedAt: new Date() } }),
        db,
      );
      results.push(summary("failed", failed.deletedCount, null, message));
    }
  }

  await withTenant(
    tenantId,
    (tx) =>
      tx.retentionRun.deleteMany({
        where: { tenantId, status: { not: "running" }, startedAt: { lt: cutoffFor(RUN_HISTORY_DAYS, now) } },
      }),
    db,
  );
  return { runKey: opts.runKey, classes: results };
}
