import ipaddr from "ipaddr.js";
import { z } from "zod";

/**
 * What a key may do. `inference` calls models through the gateway; the others
 * let automation use the management API with a key instead of a session.
 */
export const KEY_SCOPES = [
  "inference",
  "models:read",
  "usage:read",
  "keys:read",
  "keys:write",
  "models:write",
  "audit:read",
] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

/** "10.0.0.0/8", "2001:db8::/32", a bare address (→ /32 or /128); IPv4-mapped IPv6 becomes IPv4. */
export function normalizeCidr(input: string): string | null {
  const text = input.trim();
  try {
    const [addr, bits] = text.includes("/") ? ipaddr.parseCIDR(text) : (() => {
      const a = ipaddr.parse(text);
      return [a, a.kind() === "ipv4" ? 32 : 128] as const;
    })();
    if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      return `${(addr as ipaddr.IPv6).toIPv4Address().toString()}/${bits - 96}`;
    }
    // Canonical network address: 10.1.2.3/8 → 10.0.0.0/8.
    const network = ipaddr.IPv4.isValid(addr.toString())
      ? ipaddr.IPv4.networkAddressFromCIDR(`${addr.toString()}/${bits}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${addr.toString()}/${bits}`);
    return `${network.toString()}/${bits}`;
  } catch {
    return null;
  }
}

/** A list of addresses or CIDRs, normalised and deduplicated; each bad entry is named in the message. */
const cidrEntries = z
  .array(z.string())
  .max(100, "At most 100 entries")
  .transform((list, ctx) => {
    const out: string[] = [];
    for (const entry of list) {
      const cidr = normalizeCidr(entry);
      if (!cidr) {
        ctx.addIssue({ code: "custom", message: `"${entry}" is not an IPv4 or IPv6 address or CIDR` });
        return z.NEVER;
      }
      if (!out.includes(cidr)) out.push(cidr);
    }
    return out;
  });

/** A key's IP allow-list when it is created: at least one entry (leave it out to allow any address). */
export const cidrListSchema = z
  .array(z.string())
  .min(1, "Give at least one CIDR, or leave the list out to allow any address")
  .pipe(cidrEntries);

/** An allow-list being replaced: `[]` allows any address again. */
export const cidrListOrEmptySchema = cidrEntries;

export const modelNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, "Model names are letters, digits and . _ : - (up to 128)");

export const rateLimitSchema = z.object({
  requests: z.number().int().min(1, "At least 1 request").max(1_000_000),
  windowSeconds: z.number().int().min(1).max(86_400, "At most one day"),
});

/** "100/60s", "100/1m", "5000/1h" → { requests, windowSeconds } */
export function parseRateLimit(text: string): { requests: number; windowSeconds: number } | null {
  const m = /^(\d+)\/(\d+)?(s|m|h)$/.exec(text.trim());
  if (!m) return null;
  const unit = { s: 1, m: 60, h: 3600 }[m[3] as "s" | "m" | "h"];
  return { requests: Number(m[1]), windowSeconds: Number(m[2] ?? 1) * unit };
}

export const createKeyInput = z.object({
  name: z.string().trim().min(1, "Name is required").max(100, "Name must be at most 100 characters"),
  scopes: z
    .array(z.enum(KEY_SCOPES, { message: `Scopes are ${KEY_SCOPES.join(", ")}` }))
    .min(1, "Choose at least one scope")
    .transform((s) => [...new Set(s)]),
  models: z.array(modelNameSchema).min(1).max(100).optional(),
  ips: cidrListSchema.optional(),
  expiresAt: z.coerce
    .date({ message: "An ISO 8601 date-time" })
    .refine((d) => d.getTime() > Date.now(), "The expiry must be in the future")
    .optional(),
  rateLimit: rateLimitSchema.optional(),
});
export type CreateKeyInput = z.input<typeof createKeyInput>;

export const updateKeyInput = createKeyInput
  .omit({ expiresAt: true })
  .partial()
  .extend({
    models: z.array(modelNameSchema).max(100).optional(),
    ips: cidrListOrEmptySchema.optional(),
    rateLimit: rateLimitSchema.nullable().optional(),
  });
export type UpdateKeyInput = z.input<typeof updateKeyInput>;

export const rotateKeyInput = z.object({
  /** How long the superseded secret keeps working, 0 to 30 days. */
  graceSeconds: z.number().int().min(0).max(30 * 86_400).default(3600),
});

export const apiKeyOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  displayPrefix: z.string(),
  generation: z.number().int(),
  scopes: z.array(z.string()),
  models: z.array(z.string()),
  ips: z.array(z.string()),
  rateLimit: rateLimitSchema.nullable(),
  status: z.enum(["active", "expired", "revoked"]),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ApiKeyView = z.infer<typeof apiKeyOutput>;
