import type { TxClient } from "../db/client";
import type { UsageFilter } from "./usage-schemas";

export const USAGE_CSV_COLUMNS = [
  "occurred_at",
  "request_id",
  "key_id",
  "key_name",
  "model",
  "route",
  "status",
  "latency_ms",
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
] as const;

type EventRow = {
  id: string;
  occurred_at: Date;
  request_id: string;
  key_id: string;
  model: string | null;
  route: string;
  status: number;
  latency_ms: number;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number | null;
};

/** RFC 4180 field; a leading = + - @ is prefixed with ' so spreadsheets do not run it as a formula. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A page of events after ($4, $5); `$7`/`$8` (a key id, a model) limit it when not null. */
const PAGE_SQL = `SELECT id, occurred_at, request_id, key_id::text, model, route, status, latency_ms, prompt_tokens, completion_tokens, total_tokens
  FROM usage_events
  WHERE tenant_id = $1::uuid AND occurred_at >= $2 AND occurred_at < $3 AND (occurred_at, id) > ($4, $5::uuid)
    AND ($7::uuid IS NULL OR key_id = $7::uuid) AND ($8::text IS NULL OR coalesce(model, '') = $8::text)
  ORDER BY occurred_at, id
  LIMIT $6`;

export type ScopedRunner = <T>(fn: (tx: TxClient) => Promise<T>) => Promise<T>;

/**
 * The raw usage events of [from, to) as CSV lines (header first), oldest
 * first, read page by page (keyset on occurred_at, id), each page in a short
 * transaction of its own through `inTenant`, so an export of millions of rows
 * holds no long transaction and no more than a page in memory. `filter`
 * keeps one key's and/or one model's events (as the rollups count them: a
 * request that named no model is model "").
 */
export async function* usageCsvLines(
  inTenant: ScopedRunner,
  tenantId: string,
  from: Date,
  to: Date,
  filter: UsageFilter = { keyId: null, model: null },
  pageSize = 5_000,
): AsyncGenerator<string> {
  yield `${USAGE_CSV_COLUMNS.join(",")}\r\n`;
  const names = new Map<string, string>(
    (await inTenant((tx) => tx.apiKey.findMany({ where: { tenantId }, select: { id: true, name: true } }))).map((k) => [k.id, k.name]),
  );
  let after: { at: Date; id: string } = { at: new Date(0), id: "00000000-0000-0000-0000-000000000000" };
  for (;;) {
    const page = await inTenant((tx) => tx.$queryRawUnsafe<EventRow[]>(PAGE_SQL, tenantId, from, to, after.at, after.id, pageSize, filter.keyId, filter.model));
    if (page.length === 0) return;
    let chunk = "";
    for (const e of page) {
      chunk += [
        e.occurred_at.toISOString(),
        e.request_id,
        e.key_id,
        names.get(e.key_id) ?? "",
        e.model,
        e.route,
        e.status,
        e.latency_ms,
        e.prompt_tokens,
        e.completion_tokens,
        e.total_tokens,
      ]
        .map(csvField)
        .join(",");
      chunk += "\r\n";
    }
    yield chunk;
    const last = page[page.length - 1]!;
    after = { at: last.occurred_at, id: last.id };
    if (page.length < pageSize) return;
  }
}
