import { z } from "zod";
import { isUuid } from "../redis/keys";
import type { QueueName } from "./queues";

/** The tenant of a tenant-scoped job, canonical (lower case) so ids and keys agree. */
export const tenantIdSchema = z
  .string()
  .refine(isUuid, "a tenant uuid")
  .transform((id) => id.toLowerCase());

export type JobDefinition<S extends z.ZodType = z.ZodType> = {
  queue: QueueName;
  scope: "global" | "tenant";
  schema: S;
};

/** A job about the platform itself (no tenant). Unknown payload fields are refused. */
export function defineGlobalJob<S extends z.ZodRawShape>(queue: QueueName, payload: z.ZodObject<S>) {
  return { queue, scope: "global" as const, schema: payload.strict() };
}

/**
 * A job that works on one tenant's data. `tenantId` is added to the payload
 * schema here, so a tenant-scoped job cannot be defined (or enqueued) without it.
 */
export function defineTenantJob<S extends z.ZodRawShape>(queue: QueueName, payload: z.ZodObject<S>) {
  return { queue, scope: "tenant" as const, schema: payload.extend({ tenantId: tenantIdSchema }).strict() };
}

/** Every job ModelGate runs: its name (`resource.verb`), queue and payload. */
export const JOBS = {
  "worker.heartbeat": defineGlobalJob("maintenance", z.object({})),
  /** Signs every tenant's audit chain head not signed yet (lib/audit/checkpoints.ts); idempotent. */
  "audit.checkpoint_all": defineGlobalJob("maintenance", z.object({})),
  /** Re-encrypts one tenant's secrets onto a new data-key version (lib/crypto/reencrypt.ts); resumes from its cursor. */
  "data_key.reencrypt": defineTenantJob("maintenance", z.object({ keyVersion: z.number().int().min(1) })),
  /** The same for the platform data key ring (TOTP secrets). */
  "platform_data_key.reencrypt": defineGlobalJob("maintenance", z.object({ keyVersion: z.number().int().min(1) })),
  /** Platform fan-out (job scheduler): one `retention.tenant` job per tenant. */
  "retention.schedule": defineGlobalJob("retention", z.object({})),
  /** Deletes one tenant's expired data (lib/retention), inside that tenant's scope. */
  "retention.tenant": defineTenantJob("retention", z.object({ trigger: z.enum(["schedule", "manual"]).default("schedule") })),
  /** Platform sweep (job scheduler): one `quota.close_period` job per tenant whose quota period ended. */
  "quota.close_periods": defineGlobalJob("maintenance", z.object({})),
  /** Records one tenant's ended quota period once (lib/quotas/close-period.ts) and notifies its webhooks. */
  "quota.close_period": defineTenantJob(
    "maintenance",
    z.object({ period: z.enum(["day", "month"]), periodKey: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/) }),
  ),
  /** A gateway saw a tenant reach its quota (once per period and metric): notify its webhooks. */
  "quota.notify_reached": defineTenantJob(
    "maintenance",
    z.object({
      period: z.enum(["day", "month"]),
      periodKey: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/),
      metric: z.enum(["requests", "tokens"]),
      limit: z.number().int().positive(),
      used: z.number().int().nonnegative(),
      hard: z.boolean(),
    }),
  ),
  /** One attempt at one webhook delivery (lib/webhooks/deliver.ts); retried with exponential backoff. */
  "webhook.deliver": defineTenantJob("webhooks", z.object({ deliveryId: z.uuid() })),
} as const satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.output<(typeof JOBS)[N]["schema"]>;
export type JobPayloadInput<N extends JobName> = z.input<(typeof JOBS)[N]["schema"]>;

/** A job payload that does not match its schema: a bug in the caller, never a client's 400. */
export class JobPayloadError extends Error {
  readonly jobName: string;

  constructor(jobName: string, cause: z.ZodError | string) {
    const detail =
      typeof cause === "string"
        ? cause
        : cause.issues
            .slice(0, 3)
            .map((i) => `${i.path.join(".") || "payload"}: ${i.message}`)
            .join("; ");
    super(`invalid payload for job ${jobName}: ${detail}`, { cause });
    this.name = "JobPayloadError";
    this.jobName = jobName;
  }
}

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}

/** Parses a payload against a job definition, or throws JobPayloadError. */
export function parseJobPayloadWith<S extends z.ZodType>(
  jobName: string,
  definition: JobDefinition<S>,
  payload: unknown,
): z.output<S> {
  const parsed = definition.schema.safeParse(payload);
  if (!parsed.success) throw new JobPayloadError(jobName, parsed.error);
  return parsed.data;
}

/** Producers parse before enqueueing; processors parse again what they read back. */
export function parseJobPayload<N extends JobName>(jobName: N, payload: unknown): JobPayload<N> {
  const definition: JobDefinition = JOBS[jobName];
  return parseJobPayloadWith(jobName, definition, payload) as JobPayload<N>;
}
