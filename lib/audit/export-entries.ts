import type { Db } from "../db/client";
import { getDb } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import type { AuditEntryView, AuditFilters } from "./audit-schemas";
import { actorLabeller, auditWhere, toEntryView } from "./query-entries";

export type ExportFormat = "jsonl" | "csv";

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  jsonl: "application/x-ndjson; charset=utf-8",
  csv: "text/csv; charset=utf-8",
};

const CSV_COLUMNS = [
  "seq", "time", "actor_type", "actor_id", "actor", "action", "target_type", "target_id", "outcome",
  "ip", "user_agent", "request_id", "details", "prev_hash", "entry_hash",
] as const;

/** One CSV cell: quoted when needed; a leading = + - @ is defused so spreadsheets do not run it as a formula. */
function cell(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(e: AuditEntryView): string {
  const values = [
    e.seq, e.createdAt, e.actor.type, e.actor.id, e.actor.label, e.action, e.target?.type ?? null, e.target?.id ?? null,
    e.outcome, e.ip, e.userAgent, e.requestId, JSON.stringify(e.details), e.prevHash, e.entryHash,
  ];
  return `${values.map(cell).join(",")}\r\n`;
}

/**
 * The tenant's entries matching `filters`, oldest first, as a stream of
 * JSON Lines or CSV. Rows are read `pageSize` at a time by seq (one short
 * transaction per page) only when the consumer asks for more, so an export of
 * any size holds one page in memory and stops reading when the client leaves.
 */
export function exportAuditEntries(
  tenantId: string,
  filters: AuditFilters,
  format: ExportFormat,
  opts: { db?: Db; pageSize?: number } = {},
): ReadableStream<Uint8Array> {
  const db = opts.db ?? getDb();
  const pageSize = opts.pageSize ?? 500;
  const encoder = new TextEncoder();
  let after = 0n;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          if (format === "csv") {
            controller.enqueue(encoder.encode(`${CSV_COLUMNS.join(",")}\r\n`));
            return;
          }
        }
        const page = await withTenant(
          tenantId,
          async (tx) => {
            const where = { ...(await auditWhere(tx, filters)), tenantId, seq: { gt: after } };
            const rows = await tx.auditLog.findMany({ where, orderBy: { seq: "asc" }, take: pageSize });
            const label = await actorLabeller(tx, rows);
            return { entries: rows.map((r) => toEntryView(r, label)), last: rows.at(-1)?.seq };
          },
          db,
        );
        if (page.last === undefined) {
          controller.close();
          return;
        }
        after = page.last;
        const text = page.entries.map((e) => (format === "csv" ? csvLine(e) : `${JSON.stringify(e)}\n`)).join("");
        controller.enqueue(encoder.encode(text));
      },
    },
    { highWaterMark: 1 },
  );
}

/** `audit-<slug>-<yyyymmdd-hhmmss>.jsonl` */
export function exportFileName(slug: string, format: ExportFormat, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `audit-${slug}-${stamp}.${format}`;
}
