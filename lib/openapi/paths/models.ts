import {
  createModelInput,
  createVersionInput,
  grantInput,
  modelGrantOutput,
  modelOutput,
  splitInput,
  updateModelInput,
  updateVersionInput,
} from "../../models/model-schemas";
import { sharedModelOutput } from "../../models/shared-models";
import { jsonSchemaOf } from "../json-schema";
import {
  arrayOf,
  dataResponse,
  errorResponses,
  errors,
  jsonRequestBody,
  noContent,
  ref,
  SESSION_ONLY,
  SESSION_OR_KEY,
  type Paths,
} from "../spec-helpers";

const TAGS = ["Models"];
const READ = { "x-modelgate-permission": "models.read", "x-modelgate-key-scopes": ["models:read", "models:write"] };
const WRITE = { "x-modelgate-permission": "models.write", "x-modelgate-key-scopes": ["models:write"] };
const STEP_UP =
  " Needs a fresh MFA step-up (401 `step_up_required`); API keys are refused with 403 `step_up_unavailable`.";
const slug = ref("parameters", "slug");
const modelId = { name: "id", in: "path", required: true, description: "Model id.", schema: { type: "string", format: "uuid" } };
const versionId = { name: "versionId", in: "path", required: true, description: "Version id.", schema: { type: "string", format: "uuid" } };
const granteeSlug = { name: "tenant", in: "path", required: true, description: "The grantee tenant's slug.", schema: { type: "string" } };

const model = jsonSchemaOf(modelOutput, "output");
const BACKEND_URL_ERRORS =
  " A malformed or non-http(s) backend URL is 400 `invalid_backend_url`; one that resolves to a link-local, metadata, " +
  "or (unless allowed by BACKEND_ALLOWED_CIDRS) private or loopback address is 422 `backend_url_forbidden`; both name the field.";
const URL_422 = {
  "422": {
    description: "The backend URL resolves to an address the platform refuses to call (SSRF guard). Codes: `backend_url_forbidden`.",
    content: { "application/json": { schema: ref("schemas", "Error") } },
  },
};

export const modelPaths: Paths = {
  "/api/v1/tenants/{slug}/models": {
    get: {
      operationId: "listModels",
      summary: "List models",
      description:
        "The tenant's own models with their versions, then shared models granted to it by the platform (`access: granted`, " +
        "read-only, without versions). Never contains a backend credential.",
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...READ,
      parameters: [slug],
      responses: { "200": dataResponse("The models.", arrayOf(model)), ...errorResponses() },
    },
    post: {
      operationId: "createModel",
      summary: "Register a model",
      description:
        "Creates a model and its first version (label `version`, default `v1`), which becomes the default version. The " +
        "credential (`bearer` token or custom `header` + value) is stored encrypted and never returned. A duplicate name is 409." +
        BACKEND_URL_ERRORS +
        STEP_UP,
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...WRITE,
      parameters: [slug],
      requestBody: jsonRequestBody(jsonSchemaOf(createModelInput, "input")),
      responses: { "201": dataResponse("The new model.", model), ...errorResponses("400", "409", "415"), ...URL_422 },
    },
  },
  "/api/v1/tenants/{slug}/models/{id}": {
    get: {
      operationId: "getModel",
      summary: "Read a model",
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...READ,
      parameters: [slug, modelId],
      responses: { "200": dataResponse("The model.", model), ...errorResponses() },
    },
    patch: {
      operationId: "updateModel",
      summary: "Change a model",
      description:
        "Changes name, description, enabled, protocol, visibility or defaultVersion (a version label; making the canary " +
        "the default ends the split). Protocol and visibility are sensitive:" +
        STEP_UP +
        " A granted model is read-only (403).",
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...WRITE,
      parameters: [slug, modelId],
      requestBody: jsonRequestBody(jsonSchemaOf(updateModelInput, "input")),
      responses: { "200": dataResponse("The changed model.", model), ...errorResponses("400", "409", "415") },
    },
    delete: {
      operationId: "deleteModel",
      summary: "Delete a model",
      description: "Deletes the model, its versions and every grant of it; gateways stop routing to it within a second." + STEP_UP,
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...WRITE,
      parameters: [slug, modelId],
      responses: { "204": noContent("Deleted."), ...errorResponses() },
    },
  },
  "/api/v1/tenants/{slug}/models/{id}/versions": {
    post: {
      operationId: "createModelVersion",
      summary: "Add a version",
      description: "Adds a version (label, backend URL, optional credential, timeout, concurrency limit); it serves no traffic until it is the default or the canary." + BACKEND_URL_ERRORS + STEP_UP,
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...WRITE,
      parameters: [slug, modelId],
      requestBody: jsonRequestBody(jsonSchemaOf(createVersionInput, "input")),
      responses: { "201": dataResponse("The model with the new version.", model), ...errorResponses("400", "409", "415"), ...URL_422 },
    },
  },
  "/api/v1/tenants/{slug}/models/{id}/versions/{versionId}": {
    patch: {
      operationId: "updateModelVersion",
      summary: "Change a version",
      description:
        "Changes url, credential (`null` removes it), timeoutMs or maxConcurrency. The URL and the credential are sensitive:" +
        STEP_UP +
        BACKEND_URL_ERRORS,
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...WRITE,
      parameters: [slug, modelId, versionId],
      requestBody: jsonRequestBody(jsonSchemaOf(updateVersionInput, "input")),
      responses: { "200": dataResponse("The model.", model), ...errorResponses("400", "415"), ...URL_422 },
    },
    delete: {
      operationId: "deleteModelVersion",
      summary: "Delete a version",
      description: "Refused with 409 for the version that serves traffic (the default, or the canary of a split)." + STEP_UP,
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...WRITE,
      parameters: [slug, modelId, versionId],
      responses: { "200": dataResponse("The model without the version.", model), ...errorResponses("409") },
    },
  },
  "/api/v1/tenants/{slug}/models/{id}/split": {
    put: {
      operationId: "setModelTrafficSplit",
      summary: "Set a canary split",
      description:
        "Two versions of the model, one of them the default version, with percentages (1-99) adding up to 100; the other " +
        "becomes the canary and gets its share of requests (weighted random per request). Anything else is 400 with `fields.versions`." +
        STEP_UP,
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...WRITE,
      parameters: [slug, modelId],
      requestBody: jsonRequestBody(jsonSchemaOf(splitInput, "input")),
      responses: { "200": dataResponse("The model.", model), ...errorResponses("400", "415") },
    },
    delete: {
      operationId: "clearModelTrafficSplit",
      summary: "Roll back a canary split",
      description: "Every request goes to the default version again, on every gateway within a second. Idempotent." + STEP_UP,
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...WRITE,
      parameters: [slug, modelId],
      responses: { "200": dataResponse("The model.", model), ...errorResponses() },
    },
  },
  "/api/v1/operator/models": {
    get: {
      operationId: "listSharedModels",
      summary: "List shared models and their grants (operators)",
      description:
        "Every `visibility: shared` model of every tenant, and every private one that still has grants (they give nothing until it is " +
        "shared again), by name: owner, protocol, enabled, default version and split, version labels with their share of traffic " +
        "(no backend URLs or credentials), and the tenants it is granted to. Recorded as an operator read in the platform audit log.",
      tags: TAGS,
      security: SESSION_ONLY,
      "x-modelgate-permission": "platform.models.grant",
      responses: { "200": dataResponse("The shared models.", arrayOf(jsonSchemaOf(sharedModelOutput, "output"))), ...errors("401", "404", "500") },
    },
  },
  "/api/v1/operator/models/{id}/grants": {
    get: {
      operationId: "listModelGrants",
      summary: "List a shared model's grants (operators)",
      tags: TAGS,
      security: SESSION_ONLY,
      "x-modelgate-permission": "platform.models.grant",
      parameters: [modelId],
      responses: { "200": dataResponse("The grants.", arrayOf(jsonSchemaOf(modelGrantOutput, "output"))), ...errors("401", "404", "500") },
    },
    post: {
      operationId: "grantModel",
      summary: "Grant a shared model to a tenant (operators)",
      description:
        "The model must be `visibility: shared` (else 409). The grantee sees it read-only and may allow it on its keys; the owner's backend serves it under the grantee's limits. Idempotent. Needs a fresh MFA step-up.",
      tags: TAGS,
      security: SESSION_ONLY,
      "x-modelgate-permission": "platform.models.grant",
      parameters: [modelId],
      requestBody: jsonRequestBody(jsonSchemaOf(grantInput, "input")),
      responses: { "201": dataResponse("The grant.", jsonSchemaOf(modelGrantOutput, "output")), ...errors("400", "401", "403", "404", "409", "415", "500") },
    },
  },
  "/api/v1/operator/models/{id}/grants/{tenant}": {
    delete: {
      operationId: "revokeModelGrant",
      summary: "Revoke a grant (operators)",
      description: "The grantee's gateways refuse the model within a second. Idempotent. Needs a fresh MFA step-up.",
      tags: TAGS,
      security: SESSION_ONLY,
      "x-modelgate-permission": "platform.models.grant",
      parameters: [modelId, granteeSlug],
      responses: { "204": noContent("Revoked (or there was no grant)."), ...errors("401", "403", "404", "500") },
    },
  },
};
