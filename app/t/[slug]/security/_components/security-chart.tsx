"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { SecurityEventSummary } from "@/lib/audit/audit-schemas";
import { codeColor, codeLabel } from "./security-codes";

const GRID = "#e4e4e7";
const AXIS = "#71717a";
const tooltipStyle = { borderRadius: 8, borderColor: GRID, fontSize: 12, boxShadow: "0 4px 12px rgb(0 0 0 / 0.06)" };

function formatBucket(iso: string, granularity: SecurityEventSummary["granularity"], withDay: boolean): string {
  const d = new Date(iso);
  const day = d.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
  if (granularity === "day") return day;
  const time = d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
  return withDay ? `${day}, ${time}` : time;
}

/** Refused requests per hour or day, stacked by reason (UTC, like the table). */
export function SecurityChart({ summary }: { summary: SecurityEventSummary }) {
  const codes = summary.byCode.map((c) => c.code);
  const data = summary.buckets.map((b) => ({ start: b.start, ...b.counts }));
  return (
    <div className="h-60 px-2 pb-3 pt-4" data-testid="security-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 4, right: 12, left: 0, bottom: 0 }}>
          <CartesianGrid vertical={false} stroke={GRID} strokeDasharray="3 3" />
          <XAxis
            dataKey="start"
            tickFormatter={(v: string) => formatBucket(v, summary.granularity, false)}
            tick={{ fontSize: 11, fill: AXIS }}
            tickLine={false}
            axisLine={{ stroke: GRID }}
            minTickGap={28}
          />
          <YAxis tick={{ fontSize: 11, fill: AXIS }} tickLine={false} axisLine={false} width={40} allowDecimals={false} />
          <Tooltip labelFormatter={(v) => `${formatBucket(String(v), summary.granularity, true)} UTC`} contentStyle={tooltipStyle} cursor={{ fill: "#f4f4f5" }} />
          <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12, paddingTop: 4 }} />
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
