import { deadLetterOutput, workersOverviewOutput } from "../../queue/workers-schemas";
import { enqueuedRunOutput, retentionOverviewOutput, updateRetentionInput } from "../../retention/retention-schemas";
import { jsonSchemaOf } from "../json-schema";
import { arrayOf, dataResponse, errorResponses, jsonRequestBody, noContent, ref, SESSION_ONLY, type Paths } from "../spec-helpers";

const slug = ref("parameters", "slug");
const STEP_UP = "A sensitive action: needs MFA enrolled (else 403 `mfa_enrollment_required`) and a recent step-up (else 401 `step_up_required`).";
const operator = (permission: string) => ({ "x-modelgate-platform-permission": permission });
const OPERATOR_NOTE = "Platform operators only; anyone else gets 404 `not_found`.";
const overview = jsonSchemaOf(retentionOverviewOutput, "output");
const deadLetter = jsonSchemaOf(deadLetterOutput, "output");
const jobPath = [
  { name: "queue", in: "path", required: true, description: "The queue: `maintenance` or `retention`.", schema: { type: "string" } },
  { name: "id", in: "path", required: true, description: "The job's id (URL-encoded).", schema: { type: "string" } },
];

/** Retention (tenant) and the workers' health and dead letters (operators). */
export const retentionPaths: Paths = {
  "/api/v1/tenants/{slug}/retention": {
    get: {
      operationId: "getRetention",
      summary: "Read the tenant's retention",
      description:
        "Per data class (`usage_events`, `usage_rollups`, `security_events`, `audit_logs`): the days its rows live, whether that is " +
        "the platform default, the minimum (audit: `AUDIT_MIN_RETENTION_DAYS`), the time of the oldest row still stored and the last run.",
      tags: ["Retention"],
      security: SESSION_ONLY,
      "x-modelgate-permission": "tenant.read",
      parameters: [slug],
      responses: { "200": dataResponse("Retention per data class.", overview), ...errorResponses() },
    },
    patch: {
      operationId: "updateRetention",
      summary: "Change the tenant's retention",
      description:
        "Days per data class (1–3650; audit entries at least the platform minimum, else 400 with the field); `null` returns a class " +
        "to the platform default; classes left out stay. Audited as `retention.update` with before/after. " + STEP_UP,
      tags: ["Retention"],
      security: SESSION_ONLY,
      "x-modelgate-permission": "tenant.settings.write",
      parameters: [slug],
      requestBody: jsonRequestBody(jsonSchemaOf(updateRetentionInput, "input")),
      responses: { "200": dataResponse("Retention per data class, as changed.", overview), ...errorResponses("400", "415") },
    },
  },
  "/api/v1/tenants/{slug}/retention/runs": {
    post: {
      operationId: "runRetention",
      summary: "Run retention now",
      description:
        "Queues a retention run of this tenant (requests within the same minute share one run). The workers delete what the " +
        "policies say has expired and record it as each class's last run and in the audit trail (`retention.run`).",
      tags: ["Retention"],
      security: SESSION_ONLY,
      "x-modelgate-permission": "tenant.settings.write",
      parameters: [slug],
      responses: { "202": dataResponse("The queued job.", jsonSchemaOf(enqueuedRunOutput, "output")), ...errorResponses() },
    },
  },
  "/api/v1/operator/workers": {
    get: {
      operationId: "getWorkersHealth",
      summary: "Workers' health (operators)",
      description:
        "Per queue: jobs waiting, active, delayed, failed (dead letters) and completed, and per job scheduler its next run and last " +
        "successful job; the worker processes alive (each reports every 10 s); the heartbeat job; the usage stream's pending and unread " +
        "entries and its dead letters (entries the usage worker could never store: count and the newest, with reason, never values). " +
        OPERATOR_NOTE,
      tags: ["Workers"],
      security: SESSION_ONLY,
      ...operator("platform.workers.read"),
      responses: { "200": dataResponse("The health line.", jsonSchemaOf(workersOverviewOutput, "output")), ...errorResponses() },
    },
  },
  "/api/v1/operator/workers/dead-letters": {
    get: {
      operationId: "listDeadLetters",
      summary: "List dead letters (operators)",
      description: "Jobs that failed their final attempt, newest first; `?queue=` narrows to one queue, `?limit=` (1–200, default 50). " + OPERATOR_NOTE,
      tags: ["Workers"],
      security: SESSION_ONLY,
      ...operator("platform.workers.read"),
      parameters: [
        { name: "queue", in: "query", required: false, schema: { type: "string", enum: ["maintenance", "retention"] } },
        { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 200 } },
      ],
      responses: { "200": dataResponse("Failed jobs.", arrayOf(deadLetter)), ...errorResponses("400") },
    },
  },
  "/api/v1/operator/workers/dead-letters/{queue}/{id}": {
    delete: {
      operationId: "discardDeadLetter",
      summary: "Discard a dead letter (operators)",
      description: "Removes the failed job for good; recorded in the platform audit log (`job.discard`). 404 when it is not failed. " + OPERATOR_NOTE,
      tags: ["Workers"],
      security: SESSION_ONLY,
      ...operator("platform.workers.manage"),
      parameters: jobPath,
      responses: { "204": noContent("Discarded."), ...errorResponses() },
    },
  },
  "/api/v1/operator/workers/dead-letters/{queue}/{id}/retry": {
    post: {
      operationId: "retryDeadLetter",
      summary: "Retry a dead letter (operators)",
      description:
        "Puts the failed job back in its queue with fresh attempts; recorded in the platform audit log (`job.retry`). " +
        "404 when it is not failed. " + OPERATOR_NOTE,
      tags: ["Workers"],
      security: SESSION_ONLY,
      ...operator("platform.workers.manage"),
      parameters: jobPath,
      responses: { "200": dataResponse("The job as it was before the retry.", deadLetter), ...errorResponses() },
    },
  },
};
