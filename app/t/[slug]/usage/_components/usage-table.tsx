"use client";

import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { cx } from "@/components/ui/cx";
import type { UsageGrouping, UsageRow } from "@/lib/usage/usage-schemas";
import { formatCount, formatLatency } from "@/components/console/chart-format";

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
// Beside the requests chart on wide screens the table has half the width: tighter cells.
const cell = "2xl:px-3!";

/** The range's figures per key or per model, busiest first. */
export function UsageTable({ rows, by }: Props) {
  return (
    <Table aria-label={by === "key" ? "Usage by API key" : "Usage by model"}>
      <THead>
        <TH className={cell}>{by === "key" ? "API key" : "Model"}</TH>
        <TH className={cx(cell, num)}>Requests</TH>
        <TH className={cx(cell, num)}>Errors</TH>
        <TH className={cx(cell, num)}>Tokens</TH>
        <TH className={cx(cell, num)}>p50 / p95</TH>
      </THead>
      <TBody>
        {rows.map((row) => (
          <TR key={row.keyId ?? row.model ?? ""} data-testid="usage-row">
            <TD className={cx(cell, "max-w-56")}>
              <RowLabel row={row} />
            </TD>
            <TD className={cx(cell, "font-medium text-zinc-900", num)} data-column="requests">
              {formatCount(row.requests)}
            </TD>
            <TD className={cx(cell, num, row.errors ? "text-red-600" : "text-zinc-500")} data-column="errors">
              {formatCount(row.errors)}
            </TD>
            <TD className={cx(cell, num)} data-column="tokens">
              {formatCount(row.totalTokens)}
            </TD>
            <TD className={cx(cell, "text-zinc-500", num)} data-column="latency">
              {formatLatency(row.p50LatencyMs)} / {formatLatency(row.p95LatencyMs)}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
