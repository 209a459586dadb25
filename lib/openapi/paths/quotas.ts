import { operatorTenantOutput } from "../../quotas/operator-overview";
import { tenantStatusInput } from "../../quotas/operator-actions";
import { closedPeriodOutput, quotaOutput, quotaStatusOutput, setQuotaInput } from "../../quotas/quota-schemas";
import { tenantOutput } from "../../tenants/tenant-schemas";
import { createdWebhookOutput } from "../../webhooks/webhook-responses";
import { createWebhookInput, webhookDeliveryOutput, webhookEndpointOutput } from "../../webhooks/webhook-schemas";
import { jsonSchemaOf } from "../json-schema";
import {
  arrayOf,
  dataResponse,
  errorResponses,
  jsonRequestBody,
  noContent,
  NO_STORE_HEADER,
  ref,
  SESSION_ONLY,
  SESSION_OR_KEY,
  type Paths,
} from "../spec-helpers";

const slug = ref("parameters", "slug");
const endpointId = { name: "id", in: "path", required: true, description: "The webhook endpoint's id.", schema: { type: "string", format: "uuid" } };
const SETTINGS = { "x-modelgate-permission": "tenant.settings.write" };
const STEP_UP = "A sensitive action: needs MFA enrolled (else 403 `mfa_enrollment_required`) and a recent step-up (else 401 `step_up_required`).";
const operator = (permission: string) => ({ "x-modelgate-platform-permission": permission });
const OPERATOR_NOTE = "Platform operators only; anyone else gets 404 `not_found`.";

export const quotaPaths: Paths = {
  "/api/v1/tenants/{slug}/quota": {
    get: {
      operationId: "getQuota",
      summary: "Read the tenant's quota and this period's use",
      description:
        "The quota (set by platform operators): a day or calendar-month period in the tenant's time zone, with request and token " +
        "limits, each soft (responses get `X-Quota-Warning`) or hard (429 `quota_exceeded` with `Retry-After` = seconds to the period's end). " +
        "`current` is this period's use as the gateways reported it (at most about a second behind); `history` the last closed periods.",
      tags: ["Quotas"],
      security: SESSION_OR_KEY,
      "x-modelgate-permission": "usage.read",
      "x-modelgate-key-scopes": ["usage:read"],
      parameters: [slug],
      responses: { "200": dataResponse("Quota, current period and history.", jsonSchemaOf(quotaStatusOutput, "output")), ...errorResponses() },
    },
  },
  "/api/v1/tenants/{slug}/webhooks": {
    get: {
      operationId: "listWebhookEndpoints",
      summary: "List webhook endpoints",
      description: "Never contains a signing secret, only its first characters.",
      tags: ["Webhooks"],
      security: SESSION_ONLY,
      ...SETTINGS,
      parameters: [slug],
      responses: { "200": dataResponse("The endpoints.", arrayOf(jsonSchemaOf(webhookEndpointOutput, "output"))), ...errorResponses() },
    },
    post: {
      operationId: "createWebhookEndpoint",
      summary: "Add a webhook endpoint",
      description:
        "Events (`quota.reached`, `quota.period_closed`, `webhook.test`; `eventTypes` empty = all) are POSTed as JSON signed per the " +
        "Standard Webhooks spec (`webhook-id`, `webhook-timestamp`, `webhook-signature`). The signing secret is in `data.secret` — this once. " +
        STEP_UP,
      tags: ["Webhooks"],
      security: SESSION_ONLY,
      ...SETTINGS,
      parameters: [slug],
      requestBody: jsonRequestBody(jsonSchemaOf(createWebhookInput, "input")),
      responses: {
        "201": dataResponse("The endpoint with its secret.", jsonSchemaOf(createdWebhookOutput, "output"), NO_STORE_HEADER),
        ...errorResponses("400", "409", "415"),
      },
    },
  },
  "/api/v1/tenants/{slug}/webhooks/{id}": {
    delete: {
      operationId: "deleteWebhookEndpoint",
      summary: "Delete a webhook endpoint",
      description: `Removes the endpoint and its delivery log. ${STEP_UP}`,
      tags: ["Webhooks"],
      security: SESSION_ONLY,
      ...SETTINGS,
      parameters: [slug, endpointId],
      responses: { "204": noContent("Deleted."), ...errorResponses() },
    },
  },
  "/api/v1/tenants/{slug}/webhooks/{id}/test": {
    post: {
      operationId: "testWebhookEndpoint",
      summary: "Send a test event",
      description: "Sends one signed `webhook.test` event now (no retries) and returns the delivery with the endpoint's status code or the error.",
      tags: ["Webhooks"],
      security: SESSION_ONLY,
      ...SETTINGS,
      parameters: [slug, endpointId],
      responses: { "200": dataResponse("The delivery.", jsonSchemaOf(webhookDeliveryOutput, "output")), ...errorResponses() },
    },
  },
  "/api/v1/tenants/{slug}/webhooks/deliveries": {
    get: {
      operationId: "listWebhookDeliveries",
      summary: "Webhook delivery log",
      description: "The last 50 deliveries, newest first. Failed attempts are retried with exponential backoff (10 attempts).",
      tags: ["Webhooks"],
      security: SESSION_ONLY,
      ...SETTINGS,
      parameters: [slug],
      responses: { "200": dataResponse("Deliveries.", arrayOf(jsonSchemaOf(webhookDeliveryOutput, "output"))), ...errorResponses() },
    },
  },
  "/api/v1/operator/tenants": {
    get: {
      operationId: "operatorListTenants",
      summary: "List every tenant (operators)",
      description: `Status, quota, this period's use and last activity of every tenant. The read is recorded in the platform audit log. ${OPERATOR_NOTE}`,
      tags: ["Operator"],
      security: SESSION_ONLY,
      ...operator("platform.tenants.read"),
      responses: { "200": dataResponse("Tenants.", arrayOf(jsonSchemaOf(operatorTenantOutput, "output"))), ...errorResponses() },
    },
  },
  "/api/v1/operator/tenants/{slug}": {
    get: {
      operationId: "operatorGetTenant",
      summary: "Read one tenant (operators)",
      description: `The tenant as in the list, with its last closed quota periods. ${OPERATOR_NOTE}`,
      tags: ["Operator"],
      security: SESSION_ONLY,
      ...operator("platform.tenants.read"),
      parameters: [slug],
      responses: {
        "200": dataResponse(
          "The tenant and its history.",
          { type: "object", properties: { tenant: jsonSchemaOf(operatorTenantOutput, "output"), history: arrayOf(jsonSchemaOf(closedPeriodOutput, "output")) }, required: ["tenant", "history"] },
        ),
        ...errorResponses(),
      },
    },
  },
  "/api/v1/operator/tenants/{slug}/quota": {
    put: {
      operationId: "operatorSetQuota",
      summary: "Set a tenant's quota (operators)",
      description: `Sets or replaces the quota (and optionally the tenant's IANA time zone). Gateways apply it within about a second. ${STEP_UP} ${OPERATOR_NOTE}`,
      tags: ["Operator"],
      security: SESSION_ONLY,
      ...operator("platform.quotas.write"),
      parameters: [slug],
      requestBody: jsonRequestBody(jsonSchemaOf(setQuotaInput, "input")),
      responses: { "200": dataResponse("The quota.", jsonSchemaOf(quotaOutput, "output")), ...errorResponses("400", "415") },
    },
    delete: {
      operationId: "operatorClearQuota",
      summary: "Remove a tenant's quota (operators)",
      description: `${STEP_UP} ${OPERATOR_NOTE}`,
      tags: ["Operator"],
      security: SESSION_ONLY,
      ...operator("platform.quotas.write"),
      parameters: [slug],
      responses: { "204": noContent("Removed (or there was none)."), ...errorResponses() },
    },
  },
  "/api/v1/operator/tenants/{slug}/status": {
    post: {
      operationId: "operatorSetTenantStatus",
      summary: "Suspend or resume a tenant (operators)",
      description: `A suspended tenant's keys are refused by every gateway within about a second (403 \`tenant_suspended\`). Idempotent. ${STEP_UP} ${OPERATOR_NOTE}`,
      tags: ["Operator"],
      security: SESSION_ONLY,
      ...operator("platform.tenants.suspend"),
      parameters: [slug],
      requestBody: jsonRequestBody(jsonSchemaOf(tenantStatusInput, "input")),
      responses: { "200": dataResponse("The tenant.", jsonSchemaOf(tenantOutput, "output")), ...errorResponses("400", "415") },
    },
  },
};
