import { isIP } from "node:net";
import { Webhook } from "standardwebhooks";
import { Agent, request } from "undici";
import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { checkAddressAllowed, guardedLookup } from "../models/backend-url-guard";
import { webhookDeliveryOutput, type WebhookDeliveryView } from "./webhook-schemas";
import { openWebhookSecret } from "./webhook-secret";

/** How long one delivery attempt may take before it counts as failed. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** A delivery attempt that did not get a 2xx: thrown so the job is retried (exponential backoff). */
export class WebhookDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookDeliveryError";
  }
}

let agent: Agent | undefined;
/** Connections only to allowed addresses, re-checked at connect time (DNS rebinding). */
function webhookAgent(): Agent {
  agent ??= new Agent({ connect: { lookup: guardedLookup, timeout: WEBHOOK_TIMEOUT_MS }, headersTimeout: WEBHOOK_TIMEOUT_MS, bodyTimeout: WEBHOOK_TIMEOUT_MS });
  return agent;
}

export type DeliverOptions = {
  /** The last attempt: a failure marks the delivery `failed` instead of `pending`. */
  final: boolean;
  now?: Date;
  db?: Db;
};

type AttemptOutcome = { ok: boolean; statusCode: number | null; error: string | null };

async function post(url: string, headers: Record<string, string>, body: string): Promise<AttemptOutcome> {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    if (isIP(host)) {
      const verdict = checkAddressAllowed(host);
      if (!verdict.allowed) return { ok: false, statusCode: null, error: `address ${host} ${verdict.reason}` };
    }
    const res = await request(url, { method: "POST", headers, body, dispatcher: webhookAgent(), signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
    await res.body.dump({ limit: 64 * 1024 }).catch(() => {});
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    return { ok, statusCode: res.statusCode, error: ok ? null : `endpoint answered ${res.statusCode}` };
  } catch (err) {
    return { ok: false, statusCode: null, error: ((err as Error).message || "request failed").slice(0, 300) };
  }
}

/**
 * One attempt at one delivery: signs the stored payload per the Standard
 * Webhooks spec (`webhook-id` = the event id, the same on every retry;
 * `webhook-timestamp`; `webhook-signature: v1,<HMAC-SHA256>`) and POSTs it.
 * The row records every attempt. Idempotent: a delivery that already
 * succeeded (or whose endpoint was deleted) is not sent again. Throws
 * WebhookDeliveryError when the endpoint did not answer 2xx, so the job retries.
 */
export async function deliverWebhook(tenantId: string, deliveryId: string, opts: DeliverOptions): Promise<WebhookDeliveryView | null> {
  const db = opts.db ?? getDb();
  const prepared = await withTenant(
    tenantId,
    async (tx) => {
      const delivery = await tx.webhookDelivery.findFirst({ where: { id: deliveryId, tenantId }, include: { endpoint: true } });
      if (!delivery || delivery.status === "succeeded") return { delivery, send: null };
      const secret = await openWebhookSecret(tx, tenantId, delivery.endpointId, delivery.endpoint.secretCiphertext);
      return { delivery, send: { url: delivery.endpoint.url, secret } };
    },
    db,
  );
  const { delivery, send } = prepared;
  if (!delivery) return null;
  if (!send) return webhookDeliveryOutput.parse(delivery);

  const now = opts.now ?? new Date();
  const body = JSON.stringify(delivery.payload);
  const signature = new Webhook(send.secret).sign(delivery.eventId, now, body);
  const outcome = await post(
    send.url,
    {
      "content-type": "application/json",
      "user-agent": "ModelGate-Webhooks/1",
      "webhook-id": delivery.eventId,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": signature,
    },
    body,
  );
  const updated = await withTenant(
    tenantId,
    (tx) =>
      tx.webhookDelivery.update({
        where: { id: deliveryId },
        data: {
          attempts: { increment: 1 },
          lastAttemptAt: new Date(),
          lastStatusCode: outcome.statusCode,
          lastError: outcome.error,
          status: outcome.ok ? "succeeded" : opts.final ? "failed" : "pending",
          deliveredAt: outcome.ok ? new Date() : null,
        },
      }),
    db,
  );
  if (!outcome.ok) throw new WebhookDeliveryError(`webhook delivery ${deliveryId}: ${outcome.error}`);
  return webhookDeliveryOutput.parse(updated);
}
