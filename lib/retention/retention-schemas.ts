import { z } from "zod";
import { DATA_CLASSES, MAX_RETENTION_DAYS } from "./data-classes";

export const dataClassSchema = z.enum(DATA_CLASSES, { message: `A data class: ${DATA_CLASSES.join(", ")}` });

const daysSchema = z
  .number({ message: "A whole number of days" })
  .int("A whole number of days")
  .min(1, "At least 1 day")
  .max(MAX_RETENTION_DAYS, `At most ${MAX_RETENTION_DAYS} days (ten years)`);

/**
 * `PATCH .../retention`: days per class to change; `null` returns a class to
 * the platform default. Classes left out stay as they are.
 */
export const updateRetentionInput = z
  .object(Object.fromEntries(DATA_CLASSES.map((c) => [c, daysSchema.nullable().optional()])) as Record<
    (typeof DATA_CLASSES)[number],
    z.ZodOptional<z.ZodNullable<typeof daysSchema>>
  >)
  .strict()
  .refine((v) => Object.values(v).some((d) => d !== undefined), "Give at least one data class to change");
export type UpdateRetentionInput = z.input<typeof updateRetentionInput>;

export const retentionRunOutput = z.object({
  status: z.enum(["running", "succeeded", "failed"]),
  trigger: z.enum(["schedule", "manual"]),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  cutoff: z.string(),
  retentionDays: z.number().int(),
  deletedCount: z.number().int(),
  error: z.string().nullable(),
});
export type RetentionRunView = z.infer<typeof retentionRunOutput>;

export const retentionClassOutput = z.object({
  dataClass: dataClassSchema,
  label: z.string(),
  description: z.string(),
  days: z.number().int(),
  /** True when the tenant has not set this class (the platform default applies). */
  isDefault: z.boolean(),
  defaultDays: z.number().int(),
  minimumDays: z.number().int(),
  /** Time of the oldest row still stored, or null when there is none. */
  oldestKeptAt: z.string().nullable(),
  lastRun: retentionRunOutput.nullable(),
});
export type RetentionClassView = z.infer<typeof retentionClassOutput>;

export const retentionOverviewOutput = z.object({
  auditMinimumDays: z.number().int(),
  classes: z.array(retentionClassOutput),
});
export type RetentionOverview = z.infer<typeof retentionOverviewOutput>;

export const retentionRunResultOutput = z.object({
  runKey: z.string(),
  classes: z.array(
    z.object({
      dataClass: dataClassSchema,
      status: z.enum(["succeeded", "failed", "skipped"]),
      deletedCount: z.number().int(),
      cutoff: z.string(),
      oldestKeptAt: z.string().nullable(),
      error: z.string().nullable(),
    }),
  ),
});
export type RetentionRunResult = z.infer<typeof retentionRunResultOutput>;

export const enqueuedRunOutput = z.object({ jobId: z.string(), queuedAt: z.string() });
