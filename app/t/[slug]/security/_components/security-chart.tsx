"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { CHART_AXIS, CHART_GRID, chartLegendStyle, chartTooltipStyle, formatBucket, formatTick } from "@/components/console/chart-format";
import type { SecurityEventSummary } from "@/lib/audit/audit-schemas";
import { codeColor, codeLabel } from "./security-codes";

/** Refused requests per hour or day, stacked by reason (UTC, like the table). */
export function SecurityChart({ summary }: { summary: SecurityEventSummary }) {
  const codes = summary.byCode.map((c) => c.code);
  const data = summary.buckets.map((b) => ({ start: b.start, ...b.counts }));
  return (
    <div className="h-60 px-2 pb-3 pt-4" data-testid="security-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 4, right: 12, left: 0, bottom: 0 }}>
          <CartesianGrid vertical={false} stroke={CHART_GRID} strokeDasharray="3 3" />
          <XAxis
            dataKey="start"
            tickFormatter={(v: string) => formatTick(v, summary.granularity, false, "UTC")}
            tick={{ fontSize: 11, fill: CHART_AXIS }}
            tickLine={false}
            axisLine={{ stroke: CHART_GRID }}
            minTickGap={28}
          />
          <YAxis tick={{ fontSize: 11, fill: CHART_AXIS }} tickLine={false} axisLine={false} width={40} allowDecimals={false} />
          <Tooltip labelFormatter={(v) => formatBucket(String(v), summary.granularity, "UTC")} contentStyle={chartTooltipStyle} cursor={{ fill: "#f4f4f5" }} />
          <Legend iconType="circle" iconSize={8} wrapperStyle={chartLegendStyle} />
          {codes.map((code, i) => (
            <Bar
              key={code}
              dataKey={code}
              name={codeLabel(code)}
              stackId="denials"
              fill={codeColor(code)}
              radius={i === codes.length - 1 ? [3, 3, 0, 0] : undefined}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
