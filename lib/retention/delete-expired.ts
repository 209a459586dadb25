import type { TxClient } from "../db/client";
import { DATA_CLASS_INFO, type DataClass } from "./data-classes";

export type BatchResult = { deleted: number; lastTime: Date | null };

/**
 * Deletes up to `limit` of the tenant's rows of one class older than `cutoff`,
 * oldest first, in the caller's (tenant-scoped, short) transaction. The inner
 * SELECT walks the (tenant_id, time) index from `from` (the last time the
 * previous batch deleted, so the dead entries of earlier batches are not
 * walked again) and stops after `limit` rows: a batch never scans the table,
 * and locks only the rows it deletes — expired rows, which nothing else
 * writes. The planner is held to that index walk (SET LOCAL, this
 * transaction only): with stale statistics after a bulk load it would
 * otherwise bitmap-scan and sort every expired row for each batch. Rows are
 * addressed by ctid (a TID scan, no second index lookup); a row changed
 * concurrently fails the ctid recheck and is left to the next batch.
 *
 * Re-running deletes only what is still expired: the statement is idempotent
 * by construction, so a batch lost to a crash is redone by the next run.
 * That is also why a batch commits without waiting for its WAL flush
 * (synchronous_commit off, this transaction only): a server crash can lose
 * only whole batches — the delete together with the run's count of it — which
 * the next run deletes and counts again, while the other writers' commits
 * (usage ingestion, the console) no longer queue behind retention's flushes.
 */
export async function deleteExpiredBatch(
  tx: TxClient,
  dataClass: Exclude<DataClass, "audit_logs">,
  tenantId: string,
  cutoff: Date,
  limit: number,
  from: Date | null = null,
): Promise<BatchResult> {
  const { table, timeColumn } = DATA_CLASS_INFO[dataClass];
  await tx.$executeRawUnsafe("SET LOCAL synchronous_commit = off");
  await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
  await tx.$executeRawUnsafe("SET LOCAL enable_bitmapscan = off");
  await tx.$executeRawUnsafe("SET LOCAL enable_sort = off");
  const rows = await tx.$queryRawUnsafe<{ n: number; last: Date | null }[]>(
    `WITH doomed AS MATERIALIZED (
       SELECT ctid AS row_id FROM ${table}
       WHERE tenant_id = $1::uuid AND ${timeColumn} < $2 AND ${timeColumn} >= COALESCE($3::timestamptz, '-infinity')
       ORDER BY ${timeColumn}
       LIMIT $4
     ), gone AS (
       DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT row_id FROM doomed)) RETURNING ${timeColumn} AS t
     )
     SELECT count(*)::int AS n, max(t) AS last FROM gone`,
    tenantId,
    cutoff,
    from,
    limit,
  );
  return { deleted: rows[0]?.n ?? 0, lastTime: rows[0]?.last ?? null };
}

/** Time of the tenant's oldest stored row of a class (an index-only lookup), or null. */
export async function oldestRowTime(tx: TxClient, dataClass: DataClass, tenantId: string): Promise<Date | null> {
  const { table, timeColumn } = DATA_CLASS_INFO[dataClass];
  const rows = await tx.$queryRawUnsafe<{ oldest: Date | null }[]>(
    `SELECT min(${timeColumn}) AS oldest FROM ${table} WHERE tenant_id = $1::uuid`,
    tenantId,
  );
  return rows[0]?.oldest ?? null;
}
