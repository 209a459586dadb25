/** The windows the console offers for a rate limit (keys and the tenant's gateway settings). */
export const RATE_WINDOWS = [
  { seconds: 1, label: "second", short: "s" },
  { seconds: 60, label: "minute", short: "min" },
  { seconds: 3600, label: "hour", short: "h" },
  { seconds: 86_400, label: "day", short: "day" },
] as const;

export type RateLimit = { requests: number; windowSeconds: number };

/** 60 → "minute"; a window set through the API that is none of the offered ones: 90 → "90 seconds". */
export function windowLabel(seconds: number): string {
  return RATE_WINDOWS.find((w) => w.seconds === seconds)?.label ?? `${seconds.toLocaleString("en-GB")} seconds`;
}

/** For tables: "5,000 / h", "10 / 90 s". */
export function formatRateLimit(limit: RateLimit): string {
  const exact = RATE_WINDOWS.find((w) => w.seconds === limit.windowSeconds);
  if (exact) return `${limit.requests.toLocaleString("en-GB")} / ${exact.short}`;
  const unit = [...RATE_WINDOWS].reverse().find((w) => limit.windowSeconds % w.seconds === 0)!;
  return `${limit.requests.toLocaleString("en-GB")} / ${limit.windowSeconds / unit.seconds} ${unit.short}`;
}

/** In words: "1,000 requests per minute", "1 request per 90 seconds". */
export function describeRateLimit(limit: RateLimit): string {
  return `${limit.requests.toLocaleString("en-GB")} ${limit.requests === 1 ? "request" : "requests"} per ${windowLabel(limit.windowSeconds)}`;
}
