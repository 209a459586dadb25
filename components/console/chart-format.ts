import type { UsageGranularity } from "@/lib/usage/ingest-usage";

/** Recharts styling shared by the console's charts: Tailwind's zinc as hex for SVG. */
export const CHART_GRID = "#e4e4e7";
export const CHART_AXIS = "#71717a";
export const chartTooltipStyle = { borderRadius: 8, borderColor: CHART_GRID, fontSize: 12, boxShadow: "0 4px 12px rgb(0 0 0 / 0.06)" };
export const chartLegendStyle = { fontSize: 12, paddingTop: 4 };

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

type Formats = { hourMinute: Intl.DateTimeFormat; dayMonth: Intl.DateTimeFormat; full: Intl.DateTimeFormat; parts: Intl.DateTimeFormat };
const formatsByZone = new Map<string, Formats>();

/** Formatters showing times in the tenant's zone (the zone of its day buckets and quota periods). */
function formats(timeZone: string): Formats {
  let f = formatsByZone.get(timeZone);
  if (!f) {
    f = {
      hourMinute: new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone }),
      dayMonth: new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone }),
      full: new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone }),
      parts: new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }),
    };
    formatsByZone.set(timeZone, f);
  }
  return f;
}

/** "2026-11-26T10:00" for a datetime-local input: the instant's wall-clock time in `timeZone`. */
export function toZonedInput(iso: string, timeZone: string): string {
  const p: Record<string, string> = {};
  for (const part of formats(timeZone).parts.formatToParts(new Date(iso))) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/**
 * Whether a bucket is the first of its local day: minute buckets at local
 * midnight, hour buckets in the local hour 00 (00:30 in a zone 30 minutes off
 * UTC's hours, whose hour buckets are UTC's).
 */
export function startsLocalDay(iso: string, granularity: UsageGranularity, timeZone: string): boolean {
  const local = toZonedInput(iso, timeZone);
  return granularity === "minute" ? local.endsWith("T00:00") : local.slice(11, 13) === "00";
}

/** An axis tick: times within a day, dates beyond (in the tenant's zone). */
export function formatTick(iso: string, granularity: UsageGranularity, spansDays: boolean, timeZone: string): string {
  const f = formats(timeZone);
  const d = new Date(iso);
  if (granularity === "day") return f.dayMonth.format(d);
  if (spansDays && startsLocalDay(iso, granularity, timeZone)) return f.dayMonth.format(d);
  return f.hourMinute.format(d);
}

export function formatBucket(iso: string, granularity: UsageGranularity, timeZone: string): string {
  const d = new Date(iso);
  return granularity === "day" ? `${formats(timeZone).dayMonth.format(d)} (day in ${timeZone})` : `${formats(timeZone).full.format(d)} ${timeZone}`;
}

/** "26 Nov, 10:00" in the tenant's zone. */
export const formatInstant = (iso: string, timeZone: string) => formats(timeZone).full.format(new Date(iso));
