import { z } from "zod";
import { usageStreamHealthOutput } from "../usage/usage-dead-letter";
import { QUEUE_NAMES } from "./queues";

export const queueNameSchema = z.enum(QUEUE_NAMES, { message: `A queue: ${QUEUE_NAMES.join(", ")}` });

export const queueHealthOutput = z.object({
  name: queueNameSchema,
  counts: z.object({
    waiting: z.number().int(),
    active: z.number().int(),
    delayed: z.number().int(),
    failed: z.number().int(),
    completed: z.number().int(),
  }),
  paused: z.boolean(),
  schedulers: z.array(
    z.object({
      id: z.string(),
      pattern: z.string().nullable(),
      every: z.number().int().nullable(),
      nextRunAt: z.string().nullable(),
      lastSuccessAt: z.string().nullable(),
    }),
  ),
});

export const workersOverviewOutput = z.object({
  queues: z.array(queueHealthOutput),
  workers: z.array(
    z.object({
      id: z.string(),
      hostname: z.string(),
      pid: z.number().int(),
      version: z.string(),
      startedAt: z.string(),
      lastSeen: z.string(),
      queues: z.array(z.string()),
    }),
  ),
  heartbeat: z.object({ up: z.boolean(), lastSeen: z.string().nullable(), ageSeconds: z.number().nullable() }),
  /** The gateway's usage stream (`mg:usage`): entries pending and not yet read, and its dead letters (lib/usage/usage-dead-letter.ts). */
  usageStream: usageStreamHealthOutput,
});
export type WorkersOverview = z.infer<typeof workersOverviewOutput>;

export const deadLetterOutput = z.object({
  queue: queueNameSchema,
  id: z.string(),
  name: z.string(),
  tenantId: z.string().nullable(),
  attemptsMade: z.number().int(),
  maxAttempts: z.number().int(),
  failedReason: z.string(),
  createdAt: z.string(),
  failedAt: z.string().nullable(),
  /** The job's payload as JSON (ids and small values; payloads never carry secrets). */
  payload: z.string(),
});
export type DeadLetter = z.infer<typeof deadLetterOutput>;

export const deadLetterQuery = z.object({
  queue: queueNameSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** BullMQ ids: our deterministic ids (`job.tenant.hash`), scheduler ids (`repeat:...`) or counters. */
export const jobIdSchema = z.string().regex(/^[A-Za-z0-9._:\-]{1,200}$/, "A job id");
