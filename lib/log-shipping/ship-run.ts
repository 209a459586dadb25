import type { Db } from "../db/client";
import { advanceCursor } from "./cursors";
import { readBatches, type Batch, type ReadOptions } from "./read-batches";
import type { Stream } from "./ship-record";
import type { Sink } from "./sink";

export type BatchFailure = {
  stream: Stream;
  tenantId: string;
  error: string;
  /** Age of the oldest record this sink still owes the tenant's stream. */
  lagSeconds: number;
  /** Where the sink stands in that stream (seq, or the time of the last shipped event). */
  shippedTo: string | null;
};

export type RunResult = {
  shipped: number;
  failures: BatchFailure[];
  /** A transport failure (sink down, timeout, non-2xx): the run stopped there. */
  sinkDown: boolean;
  /** Some batch was full and fully delivered: run again soon. */
  more: boolean;
  /** Gaps in a tenant's audit sequence seen while reading (deleted entries). */
  gaps: { tenantId: string; after: string; next: string }[];
  /** Age of the oldest record this run found owed (0 when there was nothing). */
  lagSeconds: number;
  /** The run stopped early because `keepGoing` said so. */
  interrupted: boolean;
};

export type RunOptions = Omit<ReadOptions, "sink" | "db"> & {
  db: Db;
  /** Asked before each batch (renews the shipper's lock); false ends the run there. */
  keepGoing?: () => Promise<boolean>;
  now?: () => number;
};

function positionText(p: Batch["cursor"]): string | null {
  if (!p) return null;
  return "seq" in p ? p.seq.toString() : p.createdAt.toISOString();
}

/**
 * One shipping run for one sink: read what it is owed, send it tenant by
 * tenant and stream by stream in order, and move each cursor past exactly
 * what the sink acknowledged. At least once: a crash between the sink's
 * acknowledgment and the cursor update sends those records again.
 */
export async function shipOnce(sink: Sink, opts: RunOptions): Promise<RunResult> {
  const now = opts.now ?? Date.now;
  const result: RunResult = { shipped: 0, failures: [], sinkDown: false, more: false, gaps: [], lagSeconds: 0, interrupted: false };
  const batches = await readBatches({ ...opts, sink: sink.name });
  for (const batch of batches) {
    const first = batch.records[0];
    if (!first) continue;
    result.lagSeconds = Math.max(result.lagSeconds, Math.round((now() - first.time.getTime()) / 1000));
    if (opts.keepGoing && !(await opts.keepGoing())) {
      result.interrupted = true;
      break;
    }
    if (batch.cursor && "seq" in batch.cursor && "seq" in first.position && first.position.seq !== batch.cursor.seq + 1n) {
      result.gaps.push({ tenantId: batch.tenantId, after: batch.cursor.seq.toString(), next: first.position.seq.toString() });
    }
    const fail = (error: string, acked: number) =>
      result.failures.push({
        stream: batch.stream,
        tenantId: batch.tenantId,
        error,
        lagSeconds: Math.max(0, Math.round((now() - batch.records[acked]!.time.getTime()) / 1000)),
        shippedTo: positionText(acked > 0 ? batch.records[acked - 1]!.position : batch.cursor),
      });
    let acked: number;
    let error: string | undefined;
    try {
      ({ acked, error } = await sink.send(batch.records));
    } catch (err) {
      fail((err as Error).message, 0);
      result.sinkDown = true;
      break;
    }
    if (acked > 0) {
      const moved = await advanceCursor(opts.db, {
        sink: sink.name,
        stream: batch.stream,
        tenantId: batch.tenantId,
        from: batch.cursor,
        to: batch.records[acked - 1]!.position,
        shipped: acked,
      });
      if (moved) result.shipped += acked;
    }
    if (acked < batch.records.length) fail(error ?? "the sink did not accept the batch", acked);
    else if (batch.full) result.more = true;
  }
  return result;
}
