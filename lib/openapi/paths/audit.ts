import {
  auditEntryView,
  auditPageView,
  checkpointCreateView,
  checkpointViewSchema,
  operatorAuditPageView,
  publicKeyView,
  securityEventPageView,
  securityEventSummaryView,
  securityEventView,
  verificationView,
} from "../../audit/audit-schemas";
import { jsonSchemaOf } from "../json-schema";
import { arrayOf, dataResponse, errorResponses, errors, ref, SESSION_ONLY, SESSION_OR_KEY, type Paths } from "../spec-helpers";

const TAGS = ["Audit"];
const READ = { "x-modelgate-permission": "audit.read", "x-modelgate-key-scopes": ["audit:read"] };
const slug = ref("parameters", "slug");

const query = (name: string, description: string, schema: Record<string, unknown> = { type: "string" }) => ({
  name,
  in: "query",
  required: false,
  description,
  schema,
});
const DATE_TIME = { type: "string", format: "date-time" };
const FILTERS = [
  query("actorType", "Only entries by this kind of actor.", { type: "string", enum: ["user", "api_key", "operator", "system"] }),
  query("actor", "An actor id (user id, key id, `cli:alice`) or a user's email."),
  query("action", "An action (`key.create`), or a prefix ending in `.` or `*` (`key.*`)."),
  query("target", "A target id, or a target type (`api_key`, `membership`)."),
  query("outcome", "success, failure or denied.", { type: "string", enum: ["success", "failure", "denied"] }),
  query("from", "Entries at or after this ISO 8601 date-time (with a zone, e.g. `2026-11-26T08:00:00Z`).", DATE_TIME),
  query("to", "Entries at or before this ISO 8601 date-time.", DATE_TIME),
];
const SECURITY_FILTERS = [
  query("code", "The denial's error code, e.g. `invalid_api_key`, `ip_not_allowed`, `rate_limited`."),
  query("keyId", "The key the request used.", { type: "string", format: "uuid" }),
  query("ip", "The client address."),
  FILTERS[5]!,
  FILTERS[6]!,
];
const EXPORT_FORMAT = query("format", "jsonl (default) or csv.", { type: "string", enum: ["jsonl", "csv"], default: "jsonl" });
/** A streamed export: JSON Lines of `view`, or CSV. */
const download = (description: string, view: Parameters<typeof jsonSchemaOf>[0]) => ({
  "200": {
    description,
    content: {
      "application/x-ndjson": { schema: jsonSchemaOf(view, "output") },
      "text/csv": { schema: { type: "string" } },
    },
  },
  ...errorResponses("400"),
});
const FILTER_NOTE = " Unknown query fields, bad dates and `from` after `to` are 400 `validation_failed`.";

export const auditPaths: Paths = {
  "/api/v1/tenants/{slug}/audit": {
    get: {
      operationId: "listAuditEntries",
      summary: "Read the tenant's audit trail",
      description: "Newest first (by `seq`), filtered; pass `data.nextCursor` as `cursor` for the next page." + FILTER_NOTE,
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...READ,
      parameters: [
        slug,
        ...FILTERS,
        query("cursor", "The previous page's `nextCursor` (a seq).", { type: "integer", minimum: 1 }),
        query("limit", "Entries per page, 1-100.", { type: "integer", minimum: 1, maximum: 100, default: 50 }),
      ],
      responses: { "200": dataResponse("A page of audit entries.", jsonSchemaOf(auditPageView, "output")), ...errorResponses("400") },
    },
  },
  "/api/v1/tenants/{slug}/audit/export": {
    get: {
      operationId: "exportAuditEntries",
      summary: "Export the audit trail",
      description:
        "The filtered range, oldest first, streamed as JSON Lines (one entry per line, as in the list) or CSV " +
        "(`seq,time,actor_type,actor_id,actor,action,target_type,target_id,outcome,ip,user_agent,request_id,details,prev_hash,entry_hash`). " +
        "The export is recorded as `audit.export`." + FILTER_NOTE,
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...READ,
      parameters: [slug, ...FILTERS, EXPORT_FORMAT],
      responses: download("The entries, as a download.", auditEntryView),
    },
  },
  "/api/v1/tenants/{slug}/audit/verify": {
    get: {
      operationId: "verifyAuditChain",
      summary: "Verify the audit hash chain",
      description:
        "Recomputes every entry's hash, checks seq continuity, the links between entries and the checkpoints' signatures. " +
        "`status` is `valid`, `broken` (with the first broken entry and its reason: edited, deleted, reordered, truncated, " +
        "bad_checkpoint) or `empty`. With `from`/`to`, only the entries written in that range.",
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...READ,
      parameters: [slug, FILTERS[5]!, FILTERS[6]!],
      responses: { "200": dataResponse("The verification result.", jsonSchemaOf(verificationView, "output")), ...errorResponses("400") },
    },
  },
  "/api/v1/tenants/{slug}/audit/checkpoints": {
    get: {
      operationId: "listAuditCheckpoints",
      summary: "Download signed checkpoints",
      description:
        "Newest first (up to 1000). Each signs `{entry_hash, seq, signed_at, tenant_id, v: 1}` (RFC 8785 JSON) with Ed25519; " +
        "verify with the public key of `/audit/public-key`.",
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...READ,
      parameters: [slug],
      responses: { "200": dataResponse("The checkpoints.", arrayOf(jsonSchemaOf(checkpointViewSchema, "output"))), ...errorResponses() },
    },
    post: {
      operationId: "createAuditCheckpoint",
      summary: "Sign the chain's head now",
      description:
        "Signs the chain's head with Ed25519, as the hourly job does. The request is recorded as `audit.checkpoint_create` " +
        "and the new checkpoint signs that entry too. Idempotent instead of rate-limited: while the head has not moved " +
        "(no change since the last checkpoint), the checkpoint that signed it is returned with 200 and `created: false`, " +
        "and nothing is written; otherwise 201 with `created: true`. 404 when the trail is empty.",
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...READ,
      parameters: [slug],
      responses: {
        "201": dataResponse("The new checkpoint.", jsonSchemaOf(checkpointCreateView, "output")),
        "200": dataResponse("The checkpoint that already covered the head.", jsonSchemaOf(checkpointCreateView, "output")),
        ...errorResponses(),
      },
    },
  },
  "/api/v1/tenants/{slug}/audit/public-key": {
    get: {
      operationId: "getAuditPublicKey",
      summary: "The checkpoint signing key",
      description: "The Ed25519 public key (SPKI PEM) and its id; `?format=pem` answers the PEM file alone.",
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...READ,
      parameters: [slug, query("format", "`pem` for the bare PEM file.", { type: "string", enum: ["pem"] })],
      responses: { "200": dataResponse("The public key.", jsonSchemaOf(publicKeyView, "output")), ...errorResponses() },
    },
  },
  "/api/v1/tenants/{slug}/security-events": {
    get: {
      operationId: "listSecurityEvents",
      summary: "Read the security log",
      description:
        "Gateway requests that were denied (bad key, IP not allowed, scope, model, rate limit, quota, input filter), newest first." +
        FILTER_NOTE,
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...READ,
      parameters: [
        slug,
        ...SECURITY_FILTERS,
        query("cursor", "The previous page's `nextCursor`."),
        query("limit", "Events per page, 1-100.", { type: "integer", minimum: 1, maximum: 100, default: 50 }),
      ],
      responses: { "200": dataResponse("A page of security events.", jsonSchemaOf(securityEventPageView, "output")), ...errorResponses("400") },
    },
  },
  "/api/v1/tenants/{slug}/security-events/summary": {
    get: {
      operationId: "summarizeSecurityEvents",
      summary: "Chart the security log",
      description:
        "Denied requests over time by reason: one bucket per hour up to two days, else per UTC day (at most 400 days), empty " +
        "buckets included; totals by reason and the five client addresses and keys denied most. Without `from`/`to`, the last " +
        "24 hours." + FILTER_NOTE,
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...READ,
      parameters: [slug, ...SECURITY_FILTERS],
      responses: { "200": dataResponse("Denials over time.", jsonSchemaOf(securityEventSummaryView, "output")), ...errorResponses("400") },
    },
  },
  "/api/v1/tenants/{slug}/security-events/export": {
    get: {
      operationId: "exportSecurityEvents",
      summary: "Export the security log",
      description:
        "The filtered range, oldest first, streamed as JSON Lines (one event per line, as in the list) or CSV " +
        "(`time,code,status,method,path,model,key_id,client_ip,request_id,id`). " +
        "The export is recorded in the audit trail as `security_log.export`." + FILTER_NOTE,
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...READ,
      parameters: [slug, ...SECURITY_FILTERS, EXPORT_FORMAT],
      responses: download("The events, as a download.", securityEventView),
    },
  },
  "/api/v1/operator/audit": {
    get: {
      operationId: "searchAuditAcrossTenants",
      summary: "Search every tenant's audit trail (platform operators)",
      description:
        "The tenant view's filters across tenants, or one tenant by `tenant` slug; newest first. Each search is recorded " +
        "in the platform audit log. Anyone but a platform operator gets 404." + FILTER_NOTE,
      tags: TAGS,
      security: SESSION_ONLY,
      "x-modelgate-permission": "platform.audit.read",
      parameters: [
        query("tenant", "A tenant's slug."),
        ...FILTERS,
        query("cursor", "The previous page's `nextCursor`."),
        query("limit", "Entries per page, 1-100.", { type: "integer", minimum: 1, maximum: 100, default: 50 }),
      ],
      responses: { "200": dataResponse("A page of entries with their tenant.", jsonSchemaOf(operatorAuditPageView, "output")), ...errors("400", "401", "404", "500") },
    },
  },
};
