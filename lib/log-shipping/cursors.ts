import type { Db } from "../db/client";
import type { Position, Stream } from "./ship-record";

export type CursorAdvance = {
  sink: string;
  stream: Stream;
  tenantId: string;
  /** The position read with the batch (null: none yet). */
  from: Position | null;
  to: Position;
  shipped: number;
};

/**
 * Moves a sink's cursor from `from` to `to`, only if it still is at `from`
 * (compare-and-set). False when another shipper moved it meanwhile (or the
 * tenant was deleted): the caller then drops the rest of its batch, since
 * what it read is stale. Called only after the sink acknowledged `to`.
 */
export async function advanceCursor(db: Db, a: CursorAdvance): Promise<boolean> {
  const seq = "seq" in a.to ? a.to.seq : null;
  const at = "createdAt" in a.to ? a.to.createdAt : null;
  const id = "id" in a.to ? a.to.id : null;
  try {
    if (a.from === null) {
      const n = await db.$executeRaw`
        INSERT INTO log_ship_cursors (sink, stream, source_tenant_id, last_seq, last_created_at, last_id, shipped_count)
        VALUES (${a.sink}, ${a.stream}, ${a.tenantId}::uuid, ${seq}, ${at}, ${id}::uuid, ${a.shipped})
        ON CONFLICT DO NOTHING`;
      return n === 1;
    }
    if ("seq" in a.from) {
      const n = await db.$executeRaw`
        UPDATE log_ship_cursors SET last_seq = ${seq}, shipped_count = shipped_count + ${a.shipped}, updated_at = now()
        WHERE sink = ${a.sink} AND stream = ${a.stream} AND source_tenant_id = ${a.tenantId}::uuid AND last_seq = ${a.from.seq}`;
      return n === 1;
    }
    const n = await db.$executeRaw`
      UPDATE log_ship_cursors
      SET last_created_at = ${at}, last_id = ${id}::uuid, shipped_count = shipped_count + ${a.shipped}, updated_at = now()
      WHERE sink = ${a.sink} AND stream = ${a.stream} AND source_tenant_id = ${a.tenantId}::uuid
        AND last_created_at = ${a.from.createdAt} AND last_id = ${a.from.id}::uuid`;
    return n === 1;
  } catch (err) {
    if ((err as { cause?: { code?: string } }).cause?.code === "23503" || /foreign key/i.test((err as Error).message)) return false;
    throw err;
  }
}

export type CursorRow = { sink: string; stream: Stream; tenantId: string; position: string; shippedCount: bigint; updatedAt: Date };

/** Every cursor (for `mg sink status`); platform state, readable without a tenant scope. */
export async function listCursors(db: Db): Promise<CursorRow[]> {
  const rows = await db.logShipCursor.findMany({ orderBy: [{ sink: "asc" }, { stream: "asc" }, { updatedAt: "asc" }] });
  return rows.map((r) => ({
    sink: r.sink,
    stream: r.stream as Stream,
    tenantId: r.sourceTenantId,
    position: r.lastSeq !== null ? r.lastSeq.toString() : `${r.lastCreatedAt?.toISOString()} ${r.lastId}`,
    shippedCount: r.shippedCount,
    updatedAt: r.updatedAt,
  }));
}
