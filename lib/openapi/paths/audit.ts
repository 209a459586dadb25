import { arrayOf, dataResponse, errorResponses, ref, SESSION_OR_KEY, type Paths } from "../spec-helpers";

export const auditPaths: Paths = {
  "/api/v1/tenants/{slug}/audit": {
    get: {
      operationId: "listAuditEntries",
      summary: "Read the tenant's audit log",
      description: "The newest entries first.",
      tags: ["Audit"],
      security: SESSION_OR_KEY,
      "x-modelgate-permission": "audit.read",
      "x-modelgate-key-scopes": ["audit:read"],
      parameters: [
        ref("parameters", "slug"),
        {
          name: "limit",
          in: "query",
          required: false,
          description: "How many entries, 1-100.",
          schema: { type: "integer", minimum: 1, maximum: 100, default: 50 },
        },
      ],
      responses: { "200": dataResponse("Audit entries.", arrayOf(ref("schemas", "AuditEntry"))), ...errorResponses("400") },
    },
  },
};
