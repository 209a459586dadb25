import type { ApiKey, ApiKeySecret } from "../db/generated/client";
import { apiKeyOutput, type ApiKeyView } from "./key-schemas";

type KeyWithSecrets = ApiKey & { secrets: Pick<ApiKeySecret, "generation" | "displayPrefix">[] };

export function keyStatus(key: Pick<ApiKey, "revokedAt" | "expiresAt">, now = new Date()): ApiKeyView["status"] {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt <= now) return "expired";
  return "active";
}

/** The only shape in which a key leaves lib/keys: no hash, no secret. */
export function toKeyView(key: KeyWithSecrets): ApiKeyView {
  const latest = key.secrets.reduce((a, b) => (b.generation > a.generation ? b : a), key.secrets[0]!);
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return apiKeyOutput.parse({
    id: key.id,
    name: key.name,
    displayPrefix: latest.displayPrefix,
    generation: latest.generation,
    scopes: key.scopes,
    models: key.modelAllowlist,
    ips: key.ipAllowlist,
    rateLimit:
      key.rateLimitRequests && key.rateLimitWindowSeconds
        ? { requests: key.rateLimitRequests, windowSeconds: key.rateLimitWindowSeconds }
        : null,
    status: keyStatus(key),
    expiresAt: iso(key.expiresAt),
    revokedAt: iso(key.revokedAt),
    lastUsedAt: iso(key.lastUsedAt),
    createdAt: key.createdAt.toISOString(),
  });
}

export const SECRET_SUMMARY = { select: { generation: true, displayPrefix: true } } as const;
