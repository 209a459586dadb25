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
        <TH className="px-4">{by === "key" ? "API key" : "Model"}</TH>
        <TH className={cx("px-3", num)}>Requests</TH>
        <TH className={cx("px-3", num)}>Errors</TH>
        <TH className={cx("px-3", num)}>Tokens</TH>
        <TH className={cx("px-4", num)}>p50 / p95</TH>
      </THead>
      <TBody>
        {rows.map((row) => (
          <TR key={row.keyId ?? row.model ?? ""} data-testid="usage-row">
            <TD className="max-w-48 px-4">
              <RowLabel row={row} />
            </TD>
            <TD className={cx("px-3 font-medium text-zinc-900", num)} data-column="requests">
              {formatCount(row.requests)}
            </TD>
            <TD className={cx("px-3", num, row.errors ? "text-red-600" : "text-zinc-500")} data-column="errors">
              {formatCount(row.errors)}
            </TD>
            <TD className={cx("px-3", num)} data-column="tokens">
              {formatCount(row.totalTokens)}
            </TD>
            <TD className={cx("px-4 text-zinc-500", num)} data-column="latency">
              {formatLatency(row.p50LatencyMs)} / {formatLatency(row.p95LatencyMs)}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
