import { z } from "zod";

export const USAGE_PRESETS = ["24h", "7d", "30d"] as const;
export type UsagePreset = (typeof USAGE_PRESETS)[number];
export const USAGE_GROUPINGS = ["key", "model"] as const;
export type UsageGrouping = (typeof USAGE_GROUPINGS)[number];

/** A date-time as given (instantOf reads it: with an offset as that instant, without one in the tenant's zone). */
const isoDateTime = (field: string) =>
  z
    .string({ message: `${field} must be an ISO 8601 date-time` })
    .trim()
    .refine((s) => /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(s) && !Number.isNaN(Date.parse(s)), {
      message: `${field} must be an ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z`,
    });

const emptyIsAbsent = (v: unknown) => (v === "" ? undefined : v);

/**
 * The query of every usage read (API, console, CLI): a range given as
 * `range` (24h, 7d, 30d, ending now) or as `from`/`to` (ISO 8601; `to`
 * defaults to now, `from` to 24 hours before `to`; without an offset, in the
 * tenant's time zone), rows grouped `by` key or model, optionally a
 * granularity (else chosen from the range's length), and optionally only the
 * requests of one API key (`key`, its id) and/or one model (`model`, its name).
 */
export const usageQuery = z
  .object({
    range: z.enum(USAGE_PRESETS, { message: "range must be one of 24h, 7d, 30d" }).optional(),
    from: isoDateTime("from").optional(),
    to: isoDateTime("to").optional(),
    by: z.enum(USAGE_GROUPINGS, { message: "by must be key or model" }).default("key"),
    granularity: z.enum(["minute", "hour", "day"], { message: "granularity must be minute, hour or day" }).optional(),
    key: z.preprocess(emptyIsAbsent, z.uuid({ message: "key must be an API key id (a UUID)" }).toLowerCase().optional()),
    model: z.preprocess(emptyIsAbsent, z.string().max(200, { message: "model must be at most 200 characters" }).optional()),
  })
  .superRefine((q, ctx) => {
    if (q.range && (q.from || q.to)) ctx.addIssue({ code: "custom", path: ["range"], message: "Give either range or from/to, not both" });
  });
export type UsageQuery = z.output<typeof usageQuery>;
/** Only the requests of one key and/or one model (null: all). */
export type UsageFilter = { keyId: string | null; model: string | null };

const figures = {
  requests: z.number().int(),
  errors: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  totalTokens: z.number().int(),
  avgLatencyMs: z.number().nullable(),
  p50LatencyMs: z.number().nullable(),
  p95LatencyMs: z.number().nullable(),
};

export const usageTotalsOutput = z.object(figures);
export type UsageTotals = z.output<typeof usageTotalsOutput>;

export const usagePointOutput = z.object({ bucketStart: z.string(), ...figures });
export type UsagePoint = z.output<typeof usagePointOutput>;

/** One row of the table: a key (keyId, its name) or a model ("" when requests named none). */
export const usageRowOutput = z.object({
  keyId: z.string().nullable(),
  keyName: z.string().nullable(),
  model: z.string().nullable(),
  ...figures,
});
export type UsageRow = z.output<typeof usageRowOutput>;

export const usageReportOutput = z.object({
  /** The range actually covered: `from`/`to` widened to whole buckets of `granularity`. */
  from: z.string(),
  to: z.string(),
  granularity: z.enum(["minute", "hour", "day"]),
  /** The tenant's IANA time zone: day buckets are its local days (minutes and hours are UTC's). */
  timeZone: z.string(),
  by: z.enum(USAGE_GROUPINGS),
  /** The key (with its name) and model the figures are limited to; null: every one. */
  filter: z.object({ keyId: z.string().nullable(), keyName: z.string().nullable(), model: z.string().nullable() }),
  totals: usageTotalsOutput,
  series: z.array(usagePointOutput),
  rows: z.array(usageRowOutput),
});
export type UsageReport = z.output<typeof usageReportOutput>;
