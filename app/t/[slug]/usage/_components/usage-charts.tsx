"use client";

import type { ReactNode } from "react";
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Card, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import type { UsageReport } from "@/lib/usage/usage-schemas";
import { CHART_AXIS, CHART_GRID, chartLegendStyle, chartTooltipStyle, formatAxisCount, formatBucket, formatCount, formatLatency, formatTick, startsLocalDay } from "@/components/console/chart-format";

// The brand's indigo, a red for errors, and zinc neutrals (Tailwind's palette, as hex for SVG).
const COLORS = { requests: "#4f46e5", errors: "#dc2626", prompt: "#6366f1", completion: "#a5b4fc", p50: "#4f46e5", p95: "#f59e0b", grid: CHART_GRID, axis: CHART_AXIS };

type Props = {
  report: UsageReport;
  /** The table by key or model: beside the requests chart on wide screens, below the charts otherwise. */
  table: ReactNode;
};

function ChartCard({ title, description, children, testId, className }: { title: string; description: string; children: ReactNode; testId: string; className?: string }) {
  return (
    <Card data-testid={testId} className={cx("flex flex-col", className)}>
      <CardHeader title={title} description={description} />
      {/* At least 14rem; taller when the row is (beside the table on wide screens). */}
      <div className="min-h-56 flex-1 px-2 pb-3 pt-4">{children}</div>
    </Card>
  );
}

function useAxes(report: UsageReport) {
  const span = new Date(report.to).getTime() - new Date(report.from).getTime();
  const spansDays = span > 86_400_000;
  // Over several days of hourly points, one tick per day (at the tenant's midnight) reads better than scattered hours.
  const dailyTicks =
    report.granularity === "hour" && span > 2 * 86_400_000
      ? report.series.map((p) => p.bucketStart).filter((iso) => startsLocalDay(iso, "hour", report.timeZone))
      : undefined;
  const xAxis = (
    <XAxis
      dataKey="bucketStart"
      ticks={dailyTicks}
      interval={dailyTicks ? 0 : "preserveEnd"}
      tickFormatter={(v: string) => formatTick(v, report.granularity, spansDays, report.timeZone)}
      tick={{ fontSize: 11, fill: COLORS.axis }}
      tickLine={false}
      axisLine={{ stroke: COLORS.grid }}
      minTickGap={28}
    />
  );
  const grid = <CartesianGrid vertical={false} stroke={COLORS.grid} strokeDasharray="3 3" />;
  const tooltipLabel = (v: unknown) => formatBucket(String(v), report.granularity, report.timeZone);
  return { xAxis, grid, tooltipLabel };
}

const latencyTick = (ms: number) => (ms >= 1_000 ? `${ms / 1_000}s` : `${ms}ms`);

/** Requests and errors, tokens, and latency p50/p95 over the range, one point per bucket, with the table. */
export function UsageCharts({ report, table }: Props) {
  const { xAxis, grid, tooltipLabel } = useAxes(report);
  const data = report.series;
  const countAxis = <YAxis tickFormatter={formatAxisCount} tick={{ fontSize: 11, fill: COLORS.axis }} tickLine={false} axisLine={false} width={44} allowDecimals={false} />;
  const per = report.granularity;
  // A line through a handful of buckets would not show: mark the points then.
  const sparse = data.filter((p) => p.requests > 0).length <= 12;
  const dot = sparse ? { r: 3, strokeWidth: 0 } : false;
  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
      <ChartCard
        title="Requests and errors"
        description={`Requests the gateway forwarded per ${per}; errors are responses with status 400 or above.`}
        testId="chart-requests"
        className="lg:col-span-2 2xl:col-span-1"
      >
        <ResponsiveContainer width="100%" height="100%">
          <AreaChart data={data} margin={{ top: 4, right: 12, left: 0, bottom: 0 }}>
            {grid}
            {xAxis}
            {countAxis}
            <Tooltip labelFormatter={tooltipLabel} formatter={(v) => formatCount(Number(v))} contentStyle={chartTooltipStyle} />
            <Legend iconType="circle" iconSize={8} wrapperStyle={chartLegendStyle} />
            <Area type="monotone" dataKey="requests" name="Requests" stroke={COLORS.requests} fill={COLORS.requests} fillOpacity={0.12} strokeWidth={2} isAnimationActive={false} />
            <Area type="monotone" dataKey="errors" name="Errors" stroke={COLORS.errors} fill={COLORS.errors} fillOpacity={0.1} strokeWidth={2} isAnimationActive={false} />
          </AreaChart>
        </ResponsiveContainer>
      </ChartCard>
      <div className="order-last lg:col-span-2 2xl:order-none 2xl:col-span-1">{table}</div>
      <ChartCard title="Tokens" description={`Prompt and completion tokens per ${per}, as the model reported them.`} testId="chart-tokens">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 4, right: 12, left: 0, bottom: 0 }}>
            {grid}
            {xAxis}
            {countAxis}
            <Tooltip labelFormatter={tooltipLabel} formatter={(v) => formatCount(Number(v))} contentStyle={chartTooltipStyle} cursor={{ fill: "#f4f4f5" }} />
            <Legend iconType="circle" iconSize={8} wrapperStyle={chartLegendStyle} />
            <Bar dataKey="promptTokens" name="Prompt" stackId="tokens" fill={COLORS.prompt} isAnimationActive={false} />
            <Bar dataKey="completionTokens" name="Completion" stackId="tokens" fill={COLORS.completion} radius={[3, 3, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>
      <ChartCard title="Latency" description={`p50 and p95 per ${per}, from a fixed histogram (gateway in, last byte out).`} testId="chart-latency">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 4, right: 12, left: 0, bottom: 0 }}>
            {grid}
            {xAxis}
            <YAxis tickFormatter={latencyTick} tick={{ fontSize: 11, fill: COLORS.axis }} tickLine={false} axisLine={false} width={52} />
            <Tooltip labelFormatter={tooltipLabel} formatter={(v) => formatLatency(v === null || v === undefined ? null : Number(v))} contentStyle={chartTooltipStyle} />
            <Legend iconType="circle" iconSize={8} wrapperStyle={chartLegendStyle} />
            <Line type="monotone" dataKey="p50LatencyMs" name="p50" stroke={COLORS.p50} fill={COLORS.p50} strokeWidth={2} dot={dot} connectNulls isAnimationActive={false} />
            <Line type="monotone" dataKey="p95LatencyMs" name="p95" stroke={COLORS.p95} fill={COLORS.p95} strokeWidth={2} dot={dot} connectNulls isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </ChartCard>
    </div>
  );
}
