"use client";

import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { cx } from "@/components/ui/cx";
import type { UsageGrouping, UsageRow } from "@/lib/usage/usage-schemas";
import { formatCount, formatLatency } from "./format-usage";

type Props = { rows: UsageRow[]; by: UsageGrouping };

function RowLabel({ row }: { row: UsageRow }) {
  if (row.keyId !== null) {
    return (
      <div className="min-w-0">
        <div className="truncate font-medium text-zinc-900">{row.keyName ?? "Deleted key"}</div>
        <div className="font-mono text-xs text-zinc-500">{row.keyId.slice(0, 8)}</div>
      </div>
    );
  }
  return row.model ? <span className="font-mono text-zinc-900">{row.model}</span> : <span className="italic text-zinc-500">No model named</span>;
}

const num = "text-right tabular-nums";

/** The range's figures per key or per model, busiest first. */
export function UsageTable({ rows, by }: Props) {
  return (
    <Table aria-label={by === "key" ? "Usage by API key" : "Usage by model"}>
      <THead>
        <TH>{by === "key" ? "API key" : "Model"}</TH>
        <TH className={num}>Requests</TH>
        <TH className={num}>Errors</TH>
        <TH className={num}>Tokens</TH>
        <TH className={num}>p50 / p95</TH>
      </THead>
      <TBody>
        {rows.map((row) => (
          <TR key={row.keyId ?? row.model ?? ""} data-testid="usage-row">
            <TD className="max-w-56">
              <RowLabel row={row} />
            </TD>
            <TD className={cx("font-medium text-zinc-900", num)} data-column="requests">
              {formatCount(row.requests)}
            </TD>
            <TD className={cx(num, row.errors ? "text-red-600" : "text-zinc-500")} data-column="errors">
              {formatCount(row.errors)}
            </TD>
            <TD className={num} data-column="tokens">
              {formatCount(row.totalTokens)}
            </TD>
            <TD className={cx("text-zinc-500", num)} data-column="latency">
              {formatLatency(row.p50LatencyMs)} / {formatLatency(row.p95LatencyMs)}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
