import { z } from "zod";
import { modelNameSchema } from "../keys/key-schemas";

/**
 * How the gateway talks to a model's backend. `openai` and `kserve-v2` are
 * passed through; `torchserve` and `tfserving` are called through the KServe
 * v2 route and adapted (gateway/protocol-adapters.ts).
 */
export const MODEL_PROTOCOLS = ["openai", "kserve-v2", "torchserve", "tfserving"] as const;
export type ModelProtocol = (typeof MODEL_PROTOCOLS)[number];

export const MODEL_VISIBILITIES = ["private", "shared"] as const;
export type ModelVisibility = (typeof MODEL_VISIBILITIES)[number];

export const protocolSchema = z.enum(MODEL_PROTOCOLS, { message: `Protocol is one of ${MODEL_PROTOCOLS.join(", ")}` });
export const visibilitySchema = z.enum(MODEL_VISIBILITIES, { message: "Visibility is private or shared" });

export const versionLabelSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "Version labels are letters, digits and . _ - (up to 64), e.g. v1");

/** Checked in full (scheme, resolved address) by assertBackendUrlAllowed before anything is saved. */
export const backendUrlSchema = z.string().trim().min(1, "Backend URL is required").max(2048, "At most 2048 characters");

/** Fields the gateway owns or that would break the exchange; a credential may not use them. */
const RESERVED_HEADERS = new Set([
  "host",
  "content-length",
  "content-type",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "expect",
  "x-request-id",
  "cookie",
]);

const headerValue = z
  .string()
  .min(1, "The secret is required")
  .max(8192, "At most 8192 characters")
  .regex(/^[\t\x20-\x7e\x80-\xff]+$/, "The secret cannot contain line breaks or control characters");

/** A backend credential as given (write-only: never returned, stored only sealed). */
export const credentialInput = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("bearer"), token: headerValue }),
    z.object({
      kind: z.literal("header"),
      header: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, "A header name: letters, digits and - (up to 64)")
        .transform((h) => h.toLowerCase())
        .refine((h) => !RESERVED_HEADERS.has(h), "This header is set by the gateway; choose another"),
      value: headerValue,
    }),
  ],
  { message: 'Credential kind is "bearer" (token) or "header" (header, value)' },
);
export type CredentialInput = z.input<typeof credentialInput>;

const timeoutMs = z.number().int().min(100, "At least 100 ms").max(600_000, "At most 10 minutes");
const maxConcurrency = z.number().int().min(1, "At least 1").max(10_000, "At most 10000");
const description = z.string().trim().max(500, "At most 500 characters");

export const createModelInput = z.object({
  name: modelNameSchema,
  protocol: protocolSchema,
  description: description.optional(),
  enabled: z.boolean().optional(),
  visibility: visibilitySchema.optional(),
  /** The first version's label (default "v1"), its backend and limits. */
  version: versionLabelSchema.optional(),
  url: backendUrlSchema,
  credential: credentialInput.optional(),
  timeoutMs: timeoutMs.optional(),
  maxConcurrency: maxConcurrency.optional(),
});
export type CreateModelInput = z.input<typeof createModelInput>;

export const updateModelInput = z.object({
  name: modelNameSchema.optional(),
  description: description.optional(),
  enabled: z.boolean().optional(),
  protocol: protocolSchema.optional(),
  visibility: visibilitySchema.optional(),
  /** The label of the version that serves traffic (all of it, or the rest of a split). */
  defaultVersion: versionLabelSchema.optional(),
});
export type UpdateModelInput = z.input<typeof updateModelInput>;

/** Fields whose change is a sensitive action: MFA step-up for sessions, refused for API keys. */
export function touchesSensitiveModelFields(input: UpdateModelInput): boolean {
  return input.protocol !== undefined || input.visibility !== undefined;
}

export const createVersionInput = z.object({
  label: versionLabelSchema,
  url: backendUrlSchema,
  credential: credentialInput.optional(),
  timeoutMs: timeoutMs.optional(),
  maxConcurrency: maxConcurrency.optional(),
});
export type CreateVersionInput = z.input<typeof createVersionInput>;

export const updateVersionInput = z.object({
  url: backendUrlSchema.optional(),
  /** A new credential, or null to remove it. */
  credential: credentialInput.nullable().optional(),
  timeoutMs: timeoutMs.optional(),
  maxConcurrency: maxConcurrency.optional(),
});
export type UpdateVersionInput = z.input<typeof updateVersionInput>;

export function touchesSensitiveVersionFields(input: UpdateVersionInput): boolean {
  return input.url !== undefined || input.credential !== undefined;
}

/** A canary split: exactly two versions of the model, one of them the default, percentages summing to 100. */
export const splitInput = z.object({
  versions: z
    .array(z.object({ version: versionLabelSchema, percent: z.number().int().min(1, "At least 1").max(99, "At most 99") }))
    .length(2, "A split names exactly two versions")
    .refine((v) => v.length !== 2 || v[0]!.version !== v[1]!.version, "The two versions must differ")
    .refine((v) => v.length !== 2 || v[0]!.percent + v[1]!.percent === 100, "The percentages must add up to 100"),
});
export type SplitInput = z.input<typeof splitInput>;

export const grantInput = z.object({ tenant: z.string().trim().min(1, "The tenant's slug is required").max(100) });

const credentialOutput = z
  .object({
    kind: z.enum(["bearer", "header"]),
    header: z.string().nullable().describe("The header name for kind `header`; the value is never returned."),
  })
  .nullable()
  .describe("The backend credential's kind, or null when none is set. Its secret is write-only.");

export const modelVersionOutput = z.object({
  id: z.uuid(),
  label: z.string(),
  url: z.string(),
  credential: credentialOutput,
  timeoutMs: z.number().int(),
  maxConcurrency: z.number().int(),
  /** What share of the model's traffic this version receives now (0-100). */
  trafficPercent: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ModelVersionView = z.infer<typeof modelVersionOutput>;

export const splitOutput = z.object({
  versions: z.array(z.object({ version: z.string(), percent: z.number().int() })),
});

export const modelOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  protocol: protocolSchema,
  description: z.string(),
  enabled: z.boolean(),
  visibility: visibilitySchema,
  /** `owner`: the tenant's own model. `granted`: a shared model of another tenant, read-only. */
  access: z.enum(["owner", "granted"]),
  /** For granted models: the tenant that shares it. */
  sharedBy: z.object({ name: z.string(), slug: z.string() }).nullable(),
  defaultVersion: z.string().nullable(),
  split: splitOutput.nullable(),
  /** Versions of own models (empty for granted ones: their backends stay the owner's). */
  versions: z.array(modelVersionOutput),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ModelView = z.infer<typeof modelOutput>;

export const modelGrantOutput = z.object({
  id: z.uuid(),
  modelId: z.uuid(),
  tenant: z.object({ id: z.uuid(), name: z.string(), slug: z.string() }),
  createdAt: z.string(),
});
export type ModelGrantView = z.infer<typeof modelGrantOutput>;
