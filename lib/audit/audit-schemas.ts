import { z } from "zod";

const isoDate = z.date().transform((d) => d.toISOString());
const ACTOR_TYPES = ["user", "api_key", "operator", "system"] as const;
const OUTCOMES = ["success", "failure", "denied"] as const;

/** An ISO 8601 date-time with a zone (`2026-11-26T08:00:00Z`, `...+01:00`) or a plain date (UTC midnight). */
const isoDateTime = (what: string) =>
  z
    .string()
    .max(40)
    .refine((v) => /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(v) && !Number.isNaN(Date.parse(v)), {
      message: `${what} must be an ISO 8601 date-time such as 2026-11-26T08:00:00Z`,
    })
    .transform((v) => new Date(v));

/** Filters shared by the tenant view, the export and the operator search. Unknown fields are refused (400). */
export const auditFilterShape = {
  actorType: z.enum(ACTOR_TYPES, { message: `actorType must be one of ${ACTOR_TYPES.join(", ")}` }).optional(),
  /** An actor id (user id, key id, `cli:alice`) or a user's email. */
  actor: z.string().trim().min(1).max(254).optional(),
  /** `key.create` exactly, or a prefix ending in `.` or `*` (`key.` / `key.*`). */
  action: z.string().trim().regex(/^[a-z0-9_.*-]{1,80}$/i, "action is a resource.verb such as key.create, or a prefix such as key.*").optional(),
  /** A target id, or a target type (`api_key`, `membership`). */
  target: z.string().trim().min(1).max(200).optional(),
  outcome: z.enum(OUTCOMES, { message: `outcome must be one of ${OUTCOMES.join(", ")}` }).optional(),
  from: isoDateTime("from").optional(),
  to: isoDateTime("to").optional(),
};

const fromBeforeTo = (v: { from?: Date; to?: Date }) => !v.from || !v.to || v.from <= v.to;
const FROM_BEFORE_TO = { message: "from must not be after to", path: ["from"] };

export const auditFilterQuery = z.object(auditFilterShape).strict().refine(fromBeforeTo, FROM_BEFORE_TO);
export type AuditFilters = z.output<typeof auditFilterQuery>;

export const auditListQuery = z
  .object({
    ...auditFilterShape,
    /** Entries with a seq below this (the previous page's `nextCursor`). */
    cursor: z.coerce.number({ message: "cursor must be a number" }).int().min(1).optional(),
    limit: z.coerce.number({ message: "limit must be a number" }).int().min(1, "limit must be at least 1").max(100, "limit must be at most 100").default(50),
  })
  .strict()
  .refine(fromBeforeTo, FROM_BEFORE_TO);

/** A download's format: JSON Lines (default) or CSV. */
const exportFormat = z.enum(["jsonl", "csv"], { message: "format must be jsonl or csv" }).default("jsonl");

export const auditExportQuery = z
  .object({ ...auditFilterShape, format: exportFormat })
  .strict()
  .refine(fromBeforeTo, FROM_BEFORE_TO);

export const auditVerifyQuery = z.object({ from: auditFilterShape.from, to: auditFilterShape.to }).strict().refine(fromBeforeTo, FROM_BEFORE_TO);

/** The operator's search: the same filters across tenants, optionally one tenant by slug. */
export const operatorAuditQuery = z
  .object({
    ...auditFilterShape,
    tenant: z.string().trim().regex(/^[a-z0-9-]{1,48}$/, "tenant is a tenant slug").optional(),
    cursor: z.string().regex(/^\d{13}_[0-9a-f-]{36}$/, "cursor is the previous page's nextCursor").optional(),
    limit: z.coerce.number({ message: "limit must be a number" }).int().min(1).max(100).default(50),
  })
  .strict()
  .refine(fromBeforeTo, FROM_BEFORE_TO);

export const auditEntryView = z.object({
  id: z.uuid(),
  seq: z.number().int(),
  action: z.string(),
  actor: z.object({
    type: z.enum(ACTOR_TYPES),
    id: z.string().nullable(),
    /** A user's email, "API key 1a2b3c4d", "System (cli:alice)"... */
    label: z.string(),
  }),
  target: z.object({ type: z.string().nullable(), id: z.string().nullable() }).nullable(),
  outcome: z.enum(OUTCOMES),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  /** What changed: `{before, after}` for updates, plus context. Never a secret. */
  details: z.record(z.string(), z.unknown().describe("Any JSON value")),
  createdAt: isoDate,
  prevHash: z.string(),
  entryHash: z.string(),
});
export type AuditEntryView = z.output<typeof auditEntryView>;

export const operatorAuditEntryView = auditEntryView.extend({
  tenant: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }),
});
export type OperatorAuditEntryView = z.output<typeof operatorAuditEntryView>;

export const auditPageView = z.object({ entries: z.array(auditEntryView), nextCursor: z.number().int().nullable() });
export const operatorAuditPageView = z.object({ entries: z.array(operatorAuditEntryView), nextCursor: z.string().nullable() });

export const checkpointViewSchema = z.object({
  tenantId: z.uuid(),
  seq: z.number().int(),
  entryHash: z.string(),
  signedAt: z.string(),
  keyId: z.string(),
  signature: z.string(),
});

/** POST …/audit/checkpoints: the checkpoint of the head, and whether this request signed it (else it was signed before). */
export const checkpointCreateView = checkpointViewSchema.extend({ created: z.boolean() });
export type CheckpointCreateView = z.output<typeof checkpointCreateView>;

export const verificationView = z.object({
  tenantId: z.uuid(),
  status: z.enum(["valid", "broken", "empty"]),
  total: z.number().int(),
  valid: z.number().int(),
  firstSeq: z.number().int().nullable(),
  lastSeq: z.number().int().nullable(),
  anchor: z.enum(["genesis", "checkpoint", "range"]),
  checkpoints: z.object({ total: z.number().int(), latestSeq: z.number().int().nullable() }),
  broken: z
    .object({
      seq: z.number().int(),
      entryId: z.string().nullable(),
      reason: z.enum(["edited", "deleted", "reordered", "truncated", "bad_checkpoint"]),
      message: z.string(),
    })
    .nullable(),
});

export const publicKeyView = z.object({ algorithm: z.literal("Ed25519"), keyId: z.string(), publicKeyPem: z.string() });

// Security log (denied gateway requests).
const securityFilterShape = {
  code: z.string().trim().regex(/^[a-z_]{1,40}$/, "code is an error code such as invalid_api_key").optional(),
  keyId: z.uuid({ message: "keyId must be a key id (uuid)" }).optional(),
  ip: z.string().trim().regex(/^[0-9a-fA-F:.]{2,45}$/, "ip must be an IPv4 or IPv6 address").optional(),
  from: isoDateTime("from").optional(),
  to: isoDateTime("to").optional(),
};

export const securityEventQuery = z
  .object({
    ...securityFilterShape,
    cursor: z.string().regex(/^\d{13}_[0-9a-f-]{36}$/, "cursor is the previous page's nextCursor").optional(),
    limit: z.coerce.number({ message: "limit must be a number" }).int().min(1).max(100).default(50),
  })
  .strict()
  .refine(fromBeforeTo, FROM_BEFORE_TO);
export type SecurityEventFilters = z.output<typeof securityEventQuery>;

/** The security log's filters without paging, plus the download format. */
export const securityEventExportQuery = z
  .object({ ...securityFilterShape, format: exportFormat })
  .strict()
  .refine(fromBeforeTo, FROM_BEFORE_TO);
export type SecurityEventExportFilters = Omit<z.output<typeof securityEventExportQuery>, "format">;

/** The security log's filters for the chart over time (no paging). */
export const securityEventSummaryQuery = z.object(securityFilterShape).strict().refine(fromBeforeTo, FROM_BEFORE_TO);
export type SecurityEventSummaryFilters = z.output<typeof securityEventSummaryQuery>;

const count = z.number().int().nonnegative();
/** Refused requests over time by reason, and who was refused most: the security log's chart. */
export const securityEventSummaryView = z.object({
  from: z.string(),
  to: z.string(),
  /** Hourly up to two days, then daily (UTC). */
  granularity: z.enum(["hour", "day"]),
  total: count,
  byCode: z.array(z.object({ code: z.string(), count })),
  /** One per hour or day of the range, empty ones included, oldest first. */
  buckets: z.array(z.object({ start: z.string(), total: count, counts: z.record(z.string(), count) })),
  topIps: z.array(z.object({ ip: z.string(), count })),
  topKeys: z.array(z.object({ keyId: z.string(), count })),
});
export type SecurityEventSummary = z.output<typeof securityEventSummaryView>;

export const securityEventView = z.object({
  id: z.uuid(),
  requestId: z.string(),
  keyId: z.string().nullable(),
  code: z.string(),
  status: z.number().int(),
  method: z.string(),
  path: z.string(),
  clientIp: z.string().nullable(),
  model: z.string().nullable(),
  createdAt: isoDate,
});
export const securityEventPageView = z.object({ events: z.array(securityEventView), nextCursor: z.string().nullable() });
export type SecurityEventView = z.output<typeof securityEventView>;
