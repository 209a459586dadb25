import { cx } from "@/components/ui/cx";

const number = new Intl.NumberFormat("en-US");
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export function formatCount(n: number, short = false): string {
  return short && n >= 10_000 ? compact.format(n) : number.format(n);
}

type Limit = { limit: number; hard: boolean } | null | undefined;

/**
 * Use against a limit as a small bar: green, amber from 80%, red when
 * reached (for a hard limit: requests are being denied).
 */
export function QuotaMeter({ label, used, limit, compactNumbers }: { label: string; used: number; limit: Limit; compactNumbers?: boolean }) {
  if (!limit) {
    return (
      <div className="text-xs text-zinc-500">
        <span className="font-medium text-zinc-700">{formatCount(used, compactNumbers)}</span> {label} · no limit
      </div>
    );
  }
  const ratio = Math.min(1, used / limit.limit);
  const percent = Math.round((used / limit.limit) * 100);
  const tone = ratio >= 1 ? "bg-red-500" : ratio >= 0.8 ? "bg-amber-500" : "bg-emerald-500";
  return (
    <div className="min-w-40" data-testid={`quota-meter-${label}`}>
      <div className="flex items-baseline justify-between gap-3 text-xs">
        <span className="text-zinc-500">
          <span className="font-medium text-zinc-800">{formatCount(used, compactNumbers)}</span> / {formatCount(limit.limit, compactNumbers)} {label}
        </span>
        <span className={cx("tabular-nums", ratio >= 1 ? "font-semibold text-red-600" : "text-zinc-500")}>{percent}%</span>
      </div>
      <div
        className="mt-1 h-1.5 overflow-hidden rounded-full bg-zinc-100"
        role="meter"
        aria-label={`${label} used`}
        aria-valuemin={0}
        aria-valuemax={limit.limit}
        aria-valuenow={Math.min(used, limit.limit)}
      >
        <div className={cx("h-full rounded-full transition-all", tone)} style={{ width: `${Math.max(ratio * 100, used > 0 ? 2 : 0)}%` }} />
      </div>
    </div>
  );
}

/** "10,000 requests / month · hard", the quota in a few words. */
export function describeLimit(limit: Limit, unit: string, period: "day" | "month"): string | null {
  if (!limit) return null;
  return `${formatCount(limit.limit)} ${unit} / ${period} · ${limit.hard ? "hard" : "soft"}`;
}
