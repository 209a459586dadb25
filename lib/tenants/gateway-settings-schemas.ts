import { z } from "zod";
import { cidrListOrEmptySchema, rateLimitSchema } from "../keys/key-schemas";

/** The platform's bounds of a tenant's request body limit (the gateway's own ceiling is GATEWAY_MAX_BODY_BYTES). */
export const MIN_BODY_BYTES = 1024;
export const MAX_BODY_BYTES = 67_108_864;

/** How the gateway treats one tenant's requests: where they may come from, how big and how many, and what happens without Redis. */
export const gatewaySettingsOutput = z.object({
  /** CIDRs every gateway request of the tenant must come from (on top of each key's own list); empty: any address. */
  ipAllowlist: z.array(z.string()),
  /** Without Redis: `closed` answers 503, `open` admits requests without rate limits and quota checks. */
  redisFailureMode: z.enum(["closed", "open"]),
  maxBodyBytes: z.number().int(),
  /** The platform ceiling of `maxBodyBytes` (GATEWAY_MAX_BODY_BYTES). */
  maxBodyBytesLimit: z.number().int(),
  /** Across all of the tenant's keys; null: none (keys' own limits still apply). */
  rateLimit: rateLimitSchema.nullable(),
});
export type GatewaySettings = z.infer<typeof gatewaySettingsOutput>;

export const updateGatewaySettingsInput = z
  .object({
    ipAllowlist: cidrListOrEmptySchema,
    redisFailureMode: z.enum(["closed", "open"], { message: "Either closed or open" }),
    maxBodyBytes: z
      .number({ message: "A number of bytes" })
      .int("A whole number of bytes")
      .min(MIN_BODY_BYTES, `At least ${MIN_BODY_BYTES} bytes (1 KiB)`)
      .max(MAX_BODY_BYTES, `At most ${MAX_BODY_BYTES} bytes (64 MiB)`),
    rateLimit: rateLimitSchema.nullable(),
  })
  .partial()
  .strict()
  .refine((o) => Object.keys(o).length > 0, "Change at least one setting");
export type UpdateGatewaySettingsInput = z.input<typeof updateGatewaySettingsInput>;
