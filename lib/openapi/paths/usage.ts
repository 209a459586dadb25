import { usageReportOutput } from "../../usage/usage-schemas";
import { jsonSchemaOf } from "../json-schema";
import { dataResponse, errorResponses, ref, SESSION_OR_KEY, type Paths } from "../spec-helpers";

const RANGE_PARAMETERS = [
  ref("parameters", "slug"),
  {
    name: "range",
    in: "query",
    required: false,
    description: "A range ending now: 24h, 7d or 30d. Not together with from/to.",
    schema: { type: "string", enum: ["24h", "7d", "30d"] },
  },
  {
    name: "from",
    in: "query",
    required: false,
    description:
      "Start (ISO 8601). Default: 24 hours before `to`. Widened down to a whole bucket of the granularity. Without an offset " +
      "(`2026-11-01`, `2026-11-01T08:00`) it is a wall-clock time in the tenant's time zone.",
    schema: { type: "string", format: "date-time" },
  },
  {
    name: "to",
    in: "query",
    required: false,
    description:
      "End, exclusive (ISO 8601). Default: now. Widened up to a whole bucket of the granularity. Without an offset, in the tenant's time zone.",
    schema: { type: "string", format: "date-time" },
  },
  {
    name: "granularity",
    in: "query",
    required: false,
    description:
      "Bucket size. Default: minute up to 6 hours, hour up to 14 days, day beyond. Minutes and hours are UTC's; days are the tenant's " +
      "local days (`tenants.time_zone`, the zone of its quota periods; 23 or 25 hours across a DST change). At most 1,500 buckets.",
    schema: { type: "string", enum: ["minute", "hour", "day"] },
  },
  {
    name: "key",
    in: "query",
    required: false,
    description:
      "Only the requests of this API key (its id). A key that is not one of the tenant's (unknown, or another tenant's) is 404 `not_found`.",
    schema: { type: "string", format: "uuid" },
  },
  {
    name: "model",
    in: "query",
    required: false,
    description: "Only the requests for this model (its name, as requested). A name without usage gives zeros.",
    schema: { type: "string", maxLength: 200 },
  },
];

export const usagePaths: Paths = {
  "/api/v1/tenants/{slug}/usage": {
    get: {
      operationId: "getUsage",
      summary: "Read the tenant's usage",
      description:
        "Requests, errors (status >= 400), tokens and latency (average, p50, p95 from a fixed histogram) of the requests the gateway " +
        "forwarded, over a range (at most 400 days): totals, one point per bucket, and rows by API key or by model, busiest first; " +
        "optionally only one key's and/or one model's requests. Day buckets are the tenant's local days.",
      tags: ["Usage"],
      security: SESSION_OR_KEY,
      "x-modelgate-permission": "usage.read",
      "x-modelgate-key-scopes": ["usage:read"],
      parameters: [
        ...RANGE_PARAMETERS,
        {
          name: "by",
          in: "query",
          required: false,
          description: "Group the rows by API key or by model.",
          schema: { type: "string", enum: ["key", "model"], default: "key" },
        },
      ],
      responses: { "200": dataResponse("Usage over the range.", jsonSchemaOf(usageReportOutput, "output")), ...errorResponses("400") },
    },
  },
  "/api/v1/tenants/{slug}/usage/export": {
    get: {
      operationId: "exportUsage",
      summary: "Export the tenant's usage events as CSV",
      description:
        "One line per request over the range (same range, key and model parameters and widening as getUsage), oldest first, streamed: occurred_at, request_id, " +
        "key_id, key_name, model, route, status, latency_ms, prompt_tokens, completion_tokens, total_tokens. Values that a spreadsheet " +
        "would run as a formula are prefixed with '.",
      tags: ["Usage"],
      security: SESSION_OR_KEY,
      "x-modelgate-permission": "usage.read",
      "x-modelgate-key-scopes": ["usage:read"],
      parameters: RANGE_PARAMETERS,
      responses: {
        "200": {
          description: "The events as RFC 4180 CSV with a header line.",
          headers: { "x-request-id": ref("headers", "RequestId") },
          content: { "text/csv": { schema: { type: "string" } } },
        },
        ...errorResponses("400"),
      },
    },
  },
};
