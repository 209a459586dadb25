import { z } from "zod";
import { auditEntryOutput, memberOutput, userTenantOutput } from "../console/schemas";
import { ERROR_STATUS } from "../errors/app-error";
import { createdKeyOutput, rotatedKeyOutput } from "../keys/key-responses";
import { apiKeyOutput, createKeyInput, rotateKeyInput, updateKeyInput } from "../keys/key-schemas";
import { createTenantInput, tenantOutput } from "../tenants/tenant-schemas";
import { jsonSchemaOf, type JsonSchema } from "./json-schema";
import { ref } from "./spec-helpers";

/** Every API error body (lib/errors/app-error.ts `toErrorResponse`). */
export const errorBody = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...Array<keyof typeof ERROR_STATUS>]).describe(
      "Stable, documented error code; the HTTP status follows from it.",
    ),
    message: z.string().describe("For people; may change between versions."),
    request_id: z.string().describe("Also in the `x-request-id` header; quote it in support requests."),
    fields: z
      .record(z.string(), z.string())
      .optional()
      .describe("Validation errors: field path → message (with `validation_failed`)."),
  }),
});

/** Named schemas: the same zod schemas the routes parse requests and responses with. */
const SCHEMAS: Record<string, [z.ZodType, "input" | "output"]> = {
  Error: [errorBody, "output"],
  Tenant: [tenantOutput, "output"],
  UserTenant: [userTenantOutput, "output"],
  CreateTenantRequest: [createTenantInput, "input"],
  Member: [memberOutput, "output"],
  AuditEntry: [auditEntryOutput, "output"],
  ApiKey: [apiKeyOutput, "output"],
  CreatedApiKey: [createdKeyOutput, "output"],
  RotatedApiKey: [rotatedKeyOutput, "output"],
  CreateApiKeyRequest: [createKeyInput, "input"],
  UpdateApiKeyRequest: [updateKeyInput, "input"],
  RotateApiKeyRequest: [rotateKeyInput, "input"],
};

type Code = keyof typeof ERROR_STATUS;

/** An error response listing every code that maps to `status` (app-error.ts), so a new code shows up by itself. */
function errorResponse(status: number, description: string) {
  const codes = (Object.keys(ERROR_STATUS) as Code[]).filter((c) => ERROR_STATUS[c] === status);
  return {
    description: `${description} Codes: ${codes.map((c) => `\`${c}\``).join(", ")}.`,
    headers: { "x-request-id": ref("headers", "RequestId") },
    content: { "application/json": { schema: ref("schemas", "Error") } },
  };
}

export function buildComponents() {
  const schemas: Record<string, JsonSchema> = {};
  for (const [name, [schema, io]] of Object.entries(SCHEMAS)) schemas[name] = jsonSchemaOf(schema, io);
  return {
    schemas,
    securitySchemes: {
      sessionCookie: {
        type: "apiKey",
        in: "cookie",
        name: "next-auth.session-token",
        description:
          "The console's session (sign in at /login; `__Secure-next-auth.session-token` over https). " +
          "Writes from a browser must come from the console's own origin.",
      },
      apiKey: {
        type: "http",
        scheme: "bearer",
        bearerFormat: "mgk_<32 base62><6 base62 checksum>",
        description:
          "`Authorization: Bearer mgk_...`. Scopes grant: keys:read → keys.read; keys:write → keys.read, keys.write; " +
          "models:read, models:write, usage:read, audit:read likewise. A key never manages members or the tenant, " +
          "cannot pass MFA step-up (403 `step_up_unavailable`), and only works on its own tenant's URLs (else 404).",
      },
    },
    parameters: {
      slug: { name: "slug", in: "path", required: true, description: "The tenant's slug.", schema: { type: "string" } },
      memberId: { name: "id", in: "path", required: true, description: "Membership id.", schema: { type: "string", format: "uuid" } },
      keyId: { name: "id", in: "path", required: true, description: "API key id (stable across rotations).", schema: { type: "string", format: "uuid" } },
    },
    headers: {
      RequestId: {
        description: "The request's id: the caller's `x-request-id` when plausible, else a fresh UUID.",
        schema: { type: "string" },
      },
    },
    responses: {
      BadRequest: errorResponse(400, "The request is malformed or fails validation (see `fields`)."),
      Unauthorized: errorResponse(401, "No valid session or API key, or the action needs a fresh MFA step-up."),
      Forbidden: errorResponse(403, "Authenticated, but not allowed."),
      NotFound: errorResponse(
        404,
        "No such resource in this tenant — also for another tenant's resources and tenants you are not a member of.",
      ),
      Conflict: errorResponse(409, "The resource's state does not allow this (e.g. a revoked key, the last owner)."),
      Gone: errorResponse(410, "The link expired, was used or was revoked."),
      UnsupportedMediaType: errorResponse(415, "Send the body as application/json."),
      TooManyRequests: errorResponse(429, "Too many attempts; wait and try again."),
      InternalError: errorResponse(500, "Something failed on our side; the body names nothing internal."),
    },
  };
}
