import type { UsageGranularity } from "@/lib/usage/ingest-usage";

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat("en-US");

/** 1234 → "1,234"; from 100,000 on "123.4K". */
export const formatCount = (n: number) => (n >= 100_000 ? compact.format(n) : whole.format(n));
export const formatAxisCount = (n: number) => compact.format(n);

export function formatLatency(ms: number | null): string {
  if (ms === null) return "–";
  if (ms >= 10_000) return `${(ms / 1000).toFixed(0)} s`;
  if (ms >= 1_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

export function formatRate(part: number, total: number): string {
  if (!total) return "0%";
  const pct = (part / total) * 100;
  return `${pct < 10 && pct > 0 ? pct.toFixed(1) : Math.round(pct)}%`;
}

const hourMinute = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const dayMonth = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const full = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

/** An axis tick: times within a day, dates beyond (UTC, like the buckets). */
export function formatTick(iso: string, granularity: UsageGranularity, spansDays: boolean): string {
  const d = new Date(iso);
  if (granularity === "day") return dayMonth.format(d);
  if (spansDays && d.getUTCHours() === 0 && d.getUTCMinutes() === 0) return dayMonth.format(d);
  return hourMinute.format(d);
}

export function formatBucket(iso: string, granularity: UsageGranularity): string {
  const d = new Date(iso);
  return granularity === "day" ? `${dayMonth.format(d)} (UTC day)` : `${full.format(d)} UTC`;
}
