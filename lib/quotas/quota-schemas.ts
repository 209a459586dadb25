import { z } from "zod";
import { isValidTimeZone } from "./period";

const MAX_LIMIT = 1_000_000_000_000;

const limitInput = z.object({
  limit: z.number().int("A whole number").min(1, "At least 1").max(MAX_LIMIT, "At most 10^12"),
  /** Hard: deny once reached (429 quota_exceeded). Soft: admit and warn. */
  hard: z.boolean().default(false),
});

export const timeZoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isValidTimeZone, "An IANA time zone such as UTC or Europe/Berlin");

export const setQuotaInput = z
  .object({
    period: z.enum(["day", "month"]),
    requests: limitInput.nullable().default(null),
    tokens: limitInput.nullable().default(null),
    /** The tenant's time zone (where its days and months begin); unchanged when absent. */
    timeZone: timeZoneSchema.optional(),
  })
  .strict()
  .refine((q) => q.requests !== null || q.tokens !== null, { message: "Set a request limit, a token limit or both", path: ["requests"] });
export type SetQuotaInput = z.input<typeof setQuotaInput>;

const limitOutput = z.object({ limit: z.number().int(), hard: z.boolean() }).nullable();

export const quotaOutput = z.object({
  period: z.enum(["day", "month"]),
  timeZone: z.string(),
  requests: limitOutput,
  tokens: limitOutput,
});
export type QuotaView = z.output<typeof quotaOutput>;

export const periodUsageOutput = z.object({
  period: z.enum(["day", "month"]),
  periodKey: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  requests: z.number().int(),
  tokens: z.number().int(),
});
export type PeriodUsage = z.output<typeof periodUsageOutput>;

export const closedPeriodOutput = periodUsageOutput.extend({
  requestsLimit: z.number().int().nullable(),
  requestsHard: z.boolean(),
  tokensLimit: z.number().int().nullable(),
  tokensHard: z.boolean(),
  closedAt: z.string(),
});
export type ClosedPeriod = z.output<typeof closedPeriodOutput>;

/** A tenant's quota with this period's use so far and its last closed periods. */
export const quotaStatusOutput = z.object({
  timeZone: z.string(),
  quota: quotaOutput.nullable(),
  current: periodUsageOutput.nullable(),
  history: z.array(closedPeriodOutput),
});
export type QuotaStatus = z.output<typeof quotaStatusOutput>;
