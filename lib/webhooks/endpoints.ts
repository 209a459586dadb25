import { randomUUID } from "node:crypto";
import { recordAudit, type AuditContext } from "../audit/record-audit";
import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { parseInput } from "../errors/validation";
import { assertBackendUrlAllowed } from "../models/backend-url-guard";
import { createWebhookInput, webhookEndpointOutput, type CreateWebhookInput, type WebhookEndpointView } from "./webhook-schemas";
import { generateWebhookSecret, sealWebhookSecret, secretPrefixOf } from "./webhook-secret";

/** How many endpoints one tenant may have. */
export const MAX_WEBHOOK_ENDPOINTS = 10;

/** Checks a webhook URL like a model backend's (SSRF guard): http(s), no credentials, an allowed address. */
export async function assertWebhookUrl(raw: string): Promise<string> {
  try {
    return (await assertBackendUrlAllowed(raw, "url")).toString();
  } catch (err) {
    if (err instanceof AppError && err.fields?.url) {
      const message = err.fields.url.replace(/^The backend address/, "The endpoint address");
      throw new AppError("validation_failed", message, { fields: { url: message } });
    }
    throw err;
  }
}

/**
 * Adds a webhook endpoint for the tenant. The signing secret is returned here
 * once and never again: it is stored sealed under the tenant's data key.
 */
export async function createWebhookEndpoint(
  tenantId: string,
  input: CreateWebhookInput,
  ctx: AuditContext,
  db: Db = getDb(),
): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  const parsed = parseInput(createWebhookInput, input);
  const url = await assertWebhookUrl(parsed.url);
  const secret = generateWebhookSecret();
  const id = randomUUID();
  const row = await withTenant(
    tenantId,
    async (tx) => {
      const count = await tx.webhookEndpoint.count({ where: { tenantId } });
      if (count >= MAX_WEBHOOK_ENDPOINTS) {
        throw new AppError("conflict", `A tenant can have at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints`);
      }
      const row = await tx.webhookEndpoint.create({
        data: {
          id,
          tenantId,
          url,
          description: parsed.description,
          eventTypes: parsed.eventTypes,
          secretCiphertext: Uint8Array.from(await sealWebhookSecret(tx, tenantId, id, secret)),
          secretPrefix: secretPrefixOf(secret),
          createdBy: ctx.actor.type === "user" ? (ctx.actor.id ?? null) : null,
        },
      });
      await recordAudit(tx, tenantId, {
        ...ctx,
        action: "webhook.create",
        target: { type: "webhook_endpoint", id },
        metadata: { url, eventTypes: parsed.eventTypes },
      });
      return row;
    },
    db,
  );
  return { endpoint: webhookEndpointOutput.parse(row), secret };
}

export async function listWebhookEndpoints(tenantId: string, db: Db = getDb()): Promise<WebhookEndpointView[]> {
  const rows = await withTenant(tenantId, (tx) => tx.webhookEndpoint.findMany({ where: { tenantId }, orderBy: { createdAt: "asc" } }), db);
  return rows.map((r) => webhookEndpointOutput.parse(r));
}

/** Removes an endpoint and its delivery log. Another tenant's endpoint is a 404. */
export async function deleteWebhookEndpoint(tenantId: string, endpointId: string, ctx: AuditContext, db: Db = getDb()): Promise<void> {
  await withTenant(
    tenantId,
    async (tx) => {
      const deleted = await tx.webhookEndpoint.deleteMany({ where: { id: endpointId, tenantId } });
      if (deleted.count === 0) throw new AppError("not_found", "Webhook endpoint not found");
      await recordAudit(tx, tenantId, { ...ctx, action: "webhook.delete", target: { type: "webhook_endpoint", id: endpointId } });
    },
    db,
  );
}
