"use client";

import { useEffect, useState } from "react";
import { ApiError } from "@/components/console/api-fetch";
import { PageHeader } from "@/components/console/page-header";
import { buttonClasses, Button } from "@/components/ui/button";
import { Card, CardHeader, StatCard } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { AlertIcon, DownloadIcon, UsageIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState } from "@/components/ui/table";
import type { UsageFilterOptions } from "@/lib/usage/usage-filter-options";
import type { UsageGrouping, UsageReport } from "@/lib/usage/usage-schemas";
import { FilterPicker } from "./filter-picker";
import { formatCount, formatInstant, formatLatency, formatRate } from "@/components/console/chart-format";
import { CustomRangeForm, RangePicker } from "./range-picker";
import { exportHref, useUsage } from "./usage-api";
import { UsageCharts } from "./usage-charts";
import { UsageTable } from "./usage-table";
import { usageSearch, type UsageView } from "./usage-view";

type Props = { slug: string; initialView: UsageView; options: UsageFilterOptions };

/**
 * The usage dashboard: a range, optionally one key and/or one model, their
 * totals, charts over time and a table by key or model. What it shows is
 * kept in the URL's query (the API's own parameters), so a link or a reload
 * shows the same.
 */
export function UsagePanel({ slug, initialView, options }: Props) {
  const [view, setView] = useState<UsageView>(initialView);
  const [customOpen, setCustomOpen] = useState(!("preset" in initialView.selection));
  const usage = useUsage(slug, view);
  const fieldErrors = usage.error instanceof ApiError && usage.error.code === "validation_failed" ? usage.error.fields : undefined;
  // A key id that is not one of this tenant's keys (404), or not a key id at all (400 on `key`).
  const badKey = usage.error instanceof ApiError && (usage.error.code === "not_found" || Boolean(fieldErrors?.key));
  const report = fieldErrors || badKey ? undefined : usage.data;
  const timeZone = report?.timeZone ?? options.timeZone;
  const update = (change: Partial<UsageView>) => setView((v) => ({ ...v, ...change }));

  useEffect(() => {
    // Next's router picks up history.replaceState: the query stays shareable without a navigation.
    window.history.replaceState(window.history.state, "", `${window.location.pathname}?${usageSearch(view)}`);
  }, [view]);

  let body;
  if (usage.isPending) body = <UsageSkeleton />;
  else if (badKey) {
    body = (
      <Card data-testid="usage-bad-key">
        <EmptyState
          icon={<AlertIcon />}
          title="No such API key"
          description="The key in this link is not one of this tenant's API keys. Choose one above, or show every key."
          action={
            <Button variant="secondary" size="sm" onClick={() => update({ keyId: null })}>
              Show all keys
            </Button>
          }
        />
      </Card>
    );
  } else if (usage.isError && !fieldErrors) {
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
    const limitedTo = [report.filter.keyId !== null && "key", report.filter.model !== null && "model"].filter(Boolean).join(" and ");
    const filtered = limitedTo !== "";
    body = (
      <Card data-testid="usage-empty">
        <EmptyState
          icon={<UsageIcon />}
          title={filtered ? `No requests of this ${limitedTo} in this range` : "No requests in this range"}
          description={
            filtered
              ? `Nothing the gateway forwarded in this range matches the ${limitedTo} chosen above. Choose another range, or show every key and model.`
              : "Requests that pass through the gateway with one of this tenant's API keys show up here within seconds: counts, errors, tokens and latency."
          }
          action={
            filtered ? (
              <Button variant="secondary" size="sm" onClick={() => update({ keyId: null, model: null })}>
                Show all keys and models
              </Button>
            ) : undefined
          }
        />
      </Card>
    );
  } else {
    body = <UsageReportView report={report} by={view.by} onGroup={(by) => update({ by })} updating={usage.isFetching && usage.isPlaceholderData} />;
  }

  return (
    <div className="space-y-6">
      <PageHeader
        title="Usage"
        description={report ? rangeDescription(report) : "Requests, errors, tokens and latency of the requests the gateway forwarded for this tenant."}
        actions={
          <div className="flex flex-wrap items-center gap-3">
            <FilterPicker options={options} keyId={view.keyId} model={view.model} onKey={(keyId) => update({ keyId })} onModel={(model) => update({ model })} />
            <RangePicker
              selection={view.selection}
              customOpen={customOpen}
              onPreset={(preset) => {
                setCustomOpen(false);
                update({ selection: { preset } });
              }}
              onCustom={() => setCustomOpen(true)}
            />
            <a
              href={exportHref(slug, view)}
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
          key={timeZone}
          from={usage.data?.from}
          to={usage.data?.to}
          timeZone={timeZone}
          onApply={(selection) => update({ selection })}
          errors={fieldErrors}
        />
      )}
      {body}
    </div>
  );
}

function rangeDescription(report: UsageReport): string {
  const only = [report.filter.keyId && `key ${report.filter.keyName ?? report.filter.keyId.slice(0, 8)}`, report.filter.model !== null && `model ${report.filter.model}`]
    .filter(Boolean)
    .join(" and ");
  const range = `${formatInstant(report.from, report.timeZone)} – ${formatInstant(report.to, report.timeZone)} ${report.timeZone}, by ${report.granularity}`;
  return only ? `${range}; only ${only}.` : `${range}.`;
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
