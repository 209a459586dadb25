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
