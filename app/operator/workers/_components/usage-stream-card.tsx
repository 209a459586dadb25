"use client";

import { Card, CardHeader } from "@/components/ui/card";
import { CheckIcon } from "@/components/ui/icons";
import { EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime } from "@/lib/console/format";
import type { UsageStreamHealth } from "@/lib/usage/usage-dead-letter";

const count = (n: number) => n.toLocaleString("en-US");

function Figure({ label, value, hint, alert, testId }: { label: string; value: string; hint: string; alert?: boolean; testId: string }) {
  return (
    <div className="px-5 py-4">
      <dt className="text-sm font-medium text-zinc-500">{label}</dt>
      <dd className={alert ? "mt-1 text-xl font-semibold tabular-nums text-red-600" : "mt-1 text-xl font-semibold tabular-nums text-zinc-900"} data-testid={testId}>
        {value}
      </dd>
      <dd className="mt-0.5 text-xs text-zinc-500">{hint}</dd>
    </div>
  );
}

/**
 * The gateway's usage stream as the usage workers see it: entries read but
 * not yet acknowledged, entries not read yet, and the dead letter — entries
 * they could never store, with the reason (never the entry's values).
 */
export function UsageStreamCard({ health }: { health: UsageStreamHealth }) {
  const dropped = health.deadLettersTotal - health.deadLetters;
  return (
    <Card data-testid="usage-stream">
      <CardHeader
        title="Usage stream"
        description="Usage records the gateway appends to mg:usage for the usage workers. An entry they can never store (malformed, or refused by the database) goes to the dead letter mg:usage:dead with the reason and stops blocking the stream; the newest ~10,000 are kept."
      />
      <dl className="grid grid-cols-1 divide-y divide-zinc-100 border-t border-zinc-100 sm:grid-cols-3 sm:divide-x sm:divide-y-0">
        <Figure label="Pending" value={count(health.pending)} hint="read by a worker, not yet stored" testId="usage-pending" />
        <Figure label="Not yet read" value={health.lag === null ? "—" : count(health.lag)} hint="appended since the workers last read" testId="usage-lag" />
        <Figure
          label="Dead usage entries"
          value={count(health.deadLetters)}
          hint={dropped > 0 ? `${count(health.deadLettersTotal)} in all; the oldest ${count(dropped)} trimmed` : "never stored, kept for inspection"}
          alert={health.deadLetters > 0}
          testId="usage-dead-count"
        />
      </dl>
      {health.recentDeadLetters.length === 0 ? (
        <div className="border-t border-zinc-100">
          <EmptyState icon={<CheckIcon />} title="No dead usage entries" description="Every usage record the gateway sent was stored, or is still being retried." />
        </div>
      ) : (
        <Table aria-label="Newest dead usage entries">
          <THead>
            <TH>Entry</TH>
            <TH className="hidden md:table-cell">Tenant</TH>
            <TH>Reason</TH>
            <TH className="hidden lg:table-cell">Dead-lettered</TH>
          </THead>
          <TBody>
            {health.recentDeadLetters.map((d) => (
              <TR key={`${d.deadAt}/${d.entryId}`} data-testid="usage-dead-row">
                <TD>
                  <code className="font-mono text-xs text-zinc-900">{d.entryId}</code>
                  <div className="mt-0.5 text-xs text-zinc-500">{d.appendedAt ? `appended ${formatDateTime(d.appendedAt)}` : "—"}</div>
                </TD>
                <TD className="hidden font-mono text-xs text-zinc-600 md:table-cell" title={d.tenantId ?? undefined}>
                  {d.tenantId ? d.tenantId.slice(0, 8) : "unknown"}
                </TD>
                <TD>
                  <p className="max-w-md truncate text-sm text-red-700" title={d.reason}>
                    {d.reason}
                  </p>
                  <p className="mt-0.5 max-w-md truncate text-xs text-zinc-500" title={d.fields.join(", ")}>
                    fields: {d.fields.join(", ") || "none"}
                  </p>
                </TD>
                <TD className="hidden text-xs text-zinc-500 lg:table-cell">{formatDateTime(d.deadAt)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
