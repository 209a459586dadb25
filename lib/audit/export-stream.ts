export const EXPORT_FORMATS = ["jsonl", "csv"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  jsonl: "application/x-ndjson; charset=utf-8",
  csv: "text/csv; charset=utf-8",
};

export type CsvValue = string | number | null;

/** One CSV cell: quoted when needed; a leading = + - @ is defused so spreadsheets do not run it as a formula. */
export function csvCell(value: CsvValue): string {
  if (value === null) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** What an export reads and how one row looks in each format. */
export type ExportSource<Row, Cursor> = {
  /**
   * The next page in export order after `after` (undefined: from the start),
   * read in one short transaction; `last` is where the following page starts.
   * An empty page ends the export.
   */
  readPage: (after: Cursor | undefined) => Promise<{ rows: Row[]; last: Cursor | undefined }>;
  csvColumns: readonly string[];
  csvValues: (row: Row) => CsvValue[];
};

/**
 * A download of any size as JSON Lines (one `JSON.stringify(row)` a line) or
 * CSV (header, then CRLF-terminated rows). Pages are read only when the
 * consumer asks for more (highWaterMark 1), so one page is in memory at a time
 * and reading stops when the client leaves (the stream is cancelled).
 */
export function exportStream<Row, Cursor>(source: ExportSource<Row, Cursor>, format: ExportFormat): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: Cursor | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          if (format === "csv") {
            controller.enqueue(encoder.encode(`${source.csvColumns.join(",")}\r\n`));
            return;
          }
        }
        const page = await source.readPage(after);
        if (page.rows.length === 0) {
          controller.close();
          return;
        }
        after = page.last;
        const text = page.rows
          .map((row) => (format === "csv" ? `${source.csvValues(row).map(csvCell).join(",")}\r\n` : `${JSON.stringify(row)}\n`))
          .join("");
        controller.enqueue(encoder.encode(text));
      },
    },
    { highWaterMark: 1 },
  );
}

/** `<kind>-<slug>-<yyyymmdd-hhmmss>.<format>`, e.g. `audit-acme-20261126-083000.jsonl`. */
export function exportFileName(kind: string, slug: string, format: ExportFormat, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${kind}-${slug}-${stamp}.${format}`;
}

/** The streamed export as a download that no cache keeps. */
export function exportResponse(body: ReadableStream<Uint8Array>, fileName: string, format: ExportFormat): Response {
  return new Response(body, {
    headers: {
      "content-type": EXPORT_CONTENT_TYPES[format],
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
    },
  });
}

/** An export's audit details: its format and filters (dates as ISO strings, unset filters left out). */
export function exportDetails(format: ExportFormat, filters: Record<string, unknown>): { format: ExportFormat; filters: Record<string, unknown> } {
  const set = Object.entries(filters).filter(([, v]) => v !== undefined);
  return { format, filters: Object.fromEntries(set.map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])) };
}
