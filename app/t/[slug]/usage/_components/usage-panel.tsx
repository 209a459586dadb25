"use client";

import { useState } from "react";
import { ApiError } from "@/components/console/api-fetch";
import { PageHeader } from "@/components/console/page-header";
import { buttonClasses, Button } from "@/components/ui/button";
import { Card, CardHeader, StatCard } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { AlertIcon, DownloadIcon, UsageIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState } from "@/components/ui/table";
import type { UsageGrouping, UsageReport } from "@/lib/usage/usage-schemas";
import { formatCount, formatLatency, formatRate } from "./format-usage";
import { CustomRangeForm, RangePicker } from "./range-picker";
import { exportHref, useUsage, type UsageSelection } from "./usage-api";
import { UsageCharts } from "./usage-charts";
import { UsageTable } from "./usage-table";

type Props = { slug: string };

/** The usage dashboard: a range, its totals, charts over time and a table by key or model. */
export function UsagePanel({ slug }: Props) {
  const [selection, setSelection] = useState<UsageSelection>({ preset: "24h" });
  const [by, setBy] = useState<UsageGrouping>("key");
  const [customOpen, setCustomOpen] = useState(false);
  const usage = useUsage(slug, selection, by);
  const fieldErrors = usage.error instanceof ApiError && usage.error.code === "validation_failed" ? usage.error.fields : undefined;
  const report = fieldErrors ? undefined : usage.data;

  let body;
  if (usage.isPending) body = <UsageSkeleton />;
  else if (usage.isError && !fieldErrors) {
    body = (
      <Card>
        <EmptyState
          icon={<AlertIcon />}
          title="Usage could not be loaded"
          description={usage.error.message}
          action={
            <Button variant="secondary" size="sm" onClick={() => usage.refetch()}>
              Try again
            </Button>
          }
        />
      </Card>
    );
  } else if (!report) {
    body = (
      <Card>
        <EmptyState icon={<AlertIcon />} title="Choose a valid range" description="Correct the dates above to see usage." />
      </Card>
    );
  } else if (report.totals.requests === 0) {
    body = (
      <Card data-testid="usage-empty">
        <EmptyState
          icon={<UsageIcon />}
          title="No requests in this range"
          description="Requests that pass through the gateway with one of this tenant's API keys show up here within seconds: counts, errors, tokens and latency."
        />
      </Card>
    );
  } else {
    body = <UsageReportView report={report} by={by} onGroup={setBy} updating={usage.isFetching && usage.isPlaceholderData} />;
  }

  return (
    <div className="space-y-6">
      <PageHeader
        title="Usage"
        description={report ? rangeDescription(report) : "Requests, errors, tokens and latency of the requests the gateway forwarded for this tenant."}
        actions={
          <div className="flex flex-wrap items-center gap-3">
            <RangePicker
              selection={selection}
              customOpen={customOpen}
              onPreset={(preset) => {
                setCustomOpen(false);
                setSelection({ preset });
              }}
              onCustom={() => setCustomOpen(true)}
            />
            <a
              href={exportHref(slug, selection)}
              download
              className={buttonClasses("secondary", "md", cx(!report?.totals.requests && "pointer-events-none opacity-50"))}
              aria-disabled={!report?.totals.requests}
            >
              <DownloadIcon className="size-4" />
              Export CSV
            </a>
          </div>
        }
      />
      {customOpen && (
        <CustomRangeForm
          from={usage.data?.from}
          to={usage.data?.to}
          onApply={setSelection}
          errors={fieldErrors}
        />
      )}
      {body}
    </div>
  );
}

const rangeFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

function rangeDescription(report: UsageReport): string {
  return `${rangeFormat.format(new Date(report.from))} – ${rangeFormat.format(new Date(report.to))} UTC, by ${report.granularity}.`;
}

function UsageReportView({ report, by, onGroup, updating }: { report: UsageReport; by: UsageGrouping; onGroup: (by: UsageGrouping) => void; updating: boolean }) {
  const t = report.totals;
  return (
    <div className={cx("space-y-6 transition-opacity", updating && "opacity-60")} aria-busy={updating || undefined}>
      <dl className="grid grid-cols-2 gap-4 lg:grid-cols-4" data-testid="usage-totals">
        <StatCard label="Requests" value={<span data-testid="total-requests">{formatCount(t.requests)}</span>} hint={`${formatCount(t.errors)} errors · ${formatRate(t.errors, t.requests)} error rate`} />
        <StatCard label="Tokens" value={<span data-testid="total-tokens">{formatCount(t.totalTokens)}</span>} hint={`${formatCount(t.promptTokens)} prompt · ${formatCount(t.completionTokens)} completion`} />
        <StatCard label="Latency p50" value={formatLatency(t.p50LatencyMs)} hint={`Average ${formatLatency(t.avgLatencyMs)}`} />
        <StatCard label="Latency p95" value={formatLatency(t.p95LatencyMs)} hint="95% of requests were faster" />
      </dl>
      <UsageCharts
        report={report}
        table={
          <Card>
            <CardHeader
              title={by === "key" ? "By API key" : "By model"}
              description="Busiest first, over the whole range."
              actions={
                <div role="group" aria-label="Group the table" className="inline-flex shrink-0 rounded-md ring-1 ring-inset ring-zinc-300">
                  {(["key", "model"] as const).map((g, i) => (
                    <button
                      key={g}
                      type="button"
                      aria-pressed={by === g}
                      onClick={() => onGroup(g)}
                      className={cx(
                        "h-8 whitespace-nowrap px-3 text-xs font-medium transition-colors focus-visible:outline-2 focus-visible:outline-brand-600",
                        i === 0 ? "rounded-l-md border-r border-zinc-300" : "rounded-r-md",
                        by === g ? "bg-brand-50 text-brand-700" : "bg-white text-zinc-700 hover:bg-zinc-50",
                      )}
                    >
                      {g === "key" ? "By key" : "By model"}
                    </button>
                  ))}
                </div>
              }
            />
            <UsageTable rows={report.rows} by={report.by} />
          </Card>
        }
      />
    </div>
  );
}

function UsageSkeleton() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading usage" data-testid="usage-loading">
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <Card key={i} className="space-y-3 px-5 py-4">
            <Skeleton className="h-3.5 w-20" />
            <Skeleton className="h-7 w-28" />
            <Skeleton className="h-3 w-36" />
          </Card>
        ))}
      </div>
      <div className="grid grid-cols-1 gap-6 2xl:grid-cols-2">
        <Card className="space-y-4 p-5">
          <Skeleton className="h-4 w-40" />
          <Skeleton className="h-52 w-full" />
        </Card>
        <Card className="space-y-4 p-5">
          <Skeleton className="h-4 w-32" />
          {Array.from({ length: 5 }, (_, i) => (
            <div key={i} className="flex items-center gap-4">
              <Skeleton className="h-4 flex-1" />
              <Skeleton className="h-4 w-14" />
              <Skeleton className="h-4 w-14" />
            </div>
          ))}
        </Card>
      </div>
    </div>
  );
}
