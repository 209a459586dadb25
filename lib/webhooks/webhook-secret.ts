import { randomBytes } from "node:crypto";
import type { TxClient } from "../db/client";
import { openTenantSecret, sealTenantSecret } from "../crypto/tenant-secrets";

/** Where an endpoint's secret is sealed (lib/crypto/encrypted-columns.ts lists it). */
const location = (endpointId: string) => ({ table: "webhook_endpoints", column: "secret_ciphertext", rowId: endpointId });

/** A Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** What the console shows of a secret after it was created once. */
export function secretPrefixOf(secret: string): string {
  return `${secret.slice(0, 10)}…`;
}

export function sealWebhookSecret(tx: TxClient, tenantId: string, endpointId: string, secret: string): Promise<Buffer> {
  return sealTenantSecret(tx, tenantId, location(endpointId), Buffer.from(secret, "utf8"));
}

export async function openWebhookSecret(tx: TxClient, tenantId: string, endpointId: string, sealed: Uint8Array): Promise<string> {
  return (await openTenantSecret(tx, tenantId, location(endpointId), sealed)).toString("utf8");
}
