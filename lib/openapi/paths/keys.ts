import {
  arrayOf,
  dataResponse,
  errorResponses,
  jsonRequestBody,
  NO_STORE_HEADER,
  ref,
  SESSION_OR_KEY,
  type Paths,
} from "../spec-helpers";

const TAGS = ["API keys"];
const READ = { "x-modelgate-permission": "keys.read", "x-modelgate-key-scopes": ["keys:read", "keys:write"] };
const WRITE = { "x-modelgate-permission": "keys.write", "x-modelgate-key-scopes": ["keys:write"] };
const slug = ref("parameters", "slug");
const keyId = ref("parameters", "keyId");

export const keyPaths: Paths = {
  "/api/v1/tenants/{slug}/keys": {
    get: {
      operationId: "listApiKeys",
      summary: "List API keys",
      description: "Newest first, revoked and expired keys included. Never contains a secret or a hash.",
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...READ,
      parameters: [slug],
      responses: { "200": dataResponse("The tenant's keys.", arrayOf(ref("schemas", "ApiKey"))), ...errorResponses() },
    },
    post: {
      operationId: "createApiKey",
      summary: "Create an API key",
      description:
        "Returns the key's secret in `data.key` — this once; only its SHA-256 hash is stored. " +
        "An API key calling this may only issue scopes it holds itself (else 403 `forbidden`).",
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...WRITE,
      parameters: [slug],
      requestBody: jsonRequestBody(ref("schemas", "CreateApiKeyRequest")),
      responses: {
        "201": dataResponse("The new key with its secret.", ref("schemas", "CreatedApiKey"), NO_STORE_HEADER),
        ...errorResponses("400", "415"),
      },
    },
  },
  "/api/v1/tenants/{slug}/keys/{id}": {
    get: {
      operationId: "getApiKey",
      summary: "Read an API key",
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...READ,
      parameters: [slug, keyId],
      responses: { "200": dataResponse("The key.", ref("schemas", "ApiKey")), ...errorResponses() },
    },
    patch: {
      operationId: "updateApiKey",
      summary: "Change an API key",
      description:
        "Changes any of name, scopes, models, ips, rateLimit (`null` removes the key's own limit; `[]` clears ips/models). " +
        "Changing scopes, ips or models is a sensitive action: it needs MFA step-up in a session and is refused " +
        "for API keys with 403 `step_up_unavailable`. A revoked key cannot be changed (409).",
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...WRITE,
      parameters: [slug, keyId],
      requestBody: jsonRequestBody(ref("schemas", "UpdateApiKeyRequest")),
      responses: { "200": dataResponse("The changed key.", ref("schemas", "ApiKey")), ...errorResponses("400", "409", "415") },
    },
  },
  "/api/v1/tenants/{slug}/keys/{id}/rotate": {
    post: {
      operationId: "rotateApiKey",
      summary: "Rotate an API key",
      description:
        "Issues the key's next secret under the same id (`data.key`, shown once); the previous secret keeps " +
        "working until `previousValidUntil` (now + graceSeconds). The body is optional. An API key may only rotate " +
        "keys whose scopes it holds itself.",
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...WRITE,
      parameters: [slug, keyId],
      requestBody: jsonRequestBody(ref("schemas", "RotateApiKeyRequest"), false),
      responses: {
        "200": dataResponse("The key with its new secret.", ref("schemas", "RotatedApiKey"), NO_STORE_HEADER),
        ...errorResponses("400", "409", "415"),
      },
    },
  },
  "/api/v1/tenants/{slug}/keys/{id}/revoke": {
    post: {
      operationId: "revokeApiKey",
      summary: "Revoke an API key",
      description:
        "Revokes every generation of the key; gateways refuse it within about a second. Idempotent. " +
        "The key stays listed with status `revoked`. No body.",
      tags: TAGS,
      security: SESSION_OR_KEY,
      ...WRITE,
      parameters: [slug, keyId],
      responses: { "200": dataResponse("The revoked key.", ref("schemas", "ApiKey")), ...errorResponses() },
    },
  },
};
