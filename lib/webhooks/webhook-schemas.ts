import { z } from "zod";

/** Every event a tenant's webhook endpoints can receive. */
export const WEBHOOK_EVENT_TYPES = ["quota.reached", "quota.period_closed", "webhook.test"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const createWebhookInput = z.object({
  url: z.string().trim().min(1, "Enter the endpoint's URL").max(2048, "At most 2048 characters"),
  description: z.string().trim().max(200, "At most 200 characters").default(""),
  /** Empty or absent: every event type. */
  eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)).max(WEBHOOK_EVENT_TYPES.length).default([]),
});
export type CreateWebhookInput = z.input<typeof createWebhookInput>;

/** An endpoint as the API returns it: never the secret, only its first characters. */
export const webhookEndpointOutput = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()),
  secretPrefix: z.string(),
  enabled: z.boolean(),
  createdAt: z.date().transform((d) => d.toISOString()),
});
export type WebhookEndpointView = z.output<typeof webhookEndpointOutput>;

export const webhookDeliveryOutput = z.object({
  id: z.uuid(),
  endpointId: z.uuid(),
  eventId: z.string(),
  eventType: z.string(),
  status: z.enum(["pending", "succeeded", "failed"]),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.date().transform((d) => d.toISOString()),
  lastAttemptAt: z.date().transform((d) => d.toISOString()).nullable(),
  deliveredAt: z.date().transform((d) => d.toISOString()).nullable(),
});
export type WebhookDeliveryView = z.output<typeof webhookDeliveryOutput>;

/** The body every delivery carries (Standard Webhooks' recommended shape). */
export type WebhookPayload = { type: WebhookEventType; timestamp: string; data: Record<string, unknown> };
