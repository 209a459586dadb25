import { gatewaySettingsOutput, updateGatewaySettingsInput } from "../../tenants/gateway-settings-schemas";
import { jsonSchemaOf } from "../json-schema";
import { arrayOf, dataResponse, errorResponses, jsonRequestBody, ref, SESSION_ONLY, userErrorResponses, type Paths } from "../spec-helpers";

const gatewaySettings = jsonSchemaOf(gatewaySettingsOutput, "output");

export const tenantPaths: Paths = {
  "/api/v1/tenants": {
    get: {
      operationId: "listTenants",
      summary: "List your tenants",
      description: "The signed-in user's tenants, oldest membership first, with their role in each.",
      tags: ["Tenants"],
      security: SESSION_ONLY,
      responses: { "200": dataResponse("Your tenants.", arrayOf(ref("schemas", "UserTenant"))), ...userErrorResponses() },
    },
    post: {
      operationId: "createTenant",
      summary: "Create a tenant",
      description: "The signed-in user becomes its owner. The slug is derived from the name when left out.",
      tags: ["Tenants"],
      security: SESSION_ONLY,
      requestBody: jsonRequestBody(ref("schemas", "CreateTenantRequest")),
      responses: {
        "201": dataResponse("The new tenant.", ref("schemas", "Tenant")),
        ...userErrorResponses("400", "409", "415"),
      },
    },
  },
  "/api/v1/tenants/{slug}/gateway-settings": {
    get: {
      operationId: "getGatewaySettings",
      summary: "Read the tenant's gateway settings",
      description:
        "How the gateway treats every request of the tenant, on top of each key's own rules: the IP allow-list (empty: any address), " +
        "the largest request body, the tenant-wide rate limit (null: none) and what happens when the gateway cannot reach Redis " +
        "(`closed`: 503; `open`: admitted without rate limits and quota checks). `maxBodyBytesLimit` is the platform's ceiling.",
      tags: ["Tenants"],
      security: SESSION_ONLY,
      "x-modelgate-permission": "tenant.read",
      parameters: [ref("parameters", "slug")],
      responses: { "200": dataResponse("The tenant's gateway settings.", gatewaySettings), ...errorResponses() },
    },
    patch: {
      operationId: "updateGatewaySettings",
      summary: "Change the tenant's gateway settings",
      description:
        "Fields left out stay; `ipAllowlist: []` allows any address again and `rateLimit: null` removes the tenant-wide limit. " +
        "CIDRs are normalised (a bare address becomes /32 or /128, IPv4-mapped IPv6 becomes IPv4); `maxBodyBytes` is 1024 up to " +
        "`maxBodyBytesLimit`. Unknown fields are refused. Audited as `tenant.gateway_update` with before/after; every gateway applies " +
        "the change within about a second. A sensitive action: needs MFA enrolled (else 403 `mfa_enrollment_required`) and a recent " +
        "step-up (else 401 `step_up_required`).",
      tags: ["Tenants"],
      security: SESSION_ONLY,
      "x-modelgate-permission": "tenant.settings.write",
      parameters: [ref("parameters", "slug")],
      requestBody: jsonRequestBody(jsonSchemaOf(updateGatewaySettingsInput, "input")),
      responses: { "200": dataResponse("The gateway settings, as changed.", gatewaySettings), ...errorResponses("400", "415") },
    },
  },
};
