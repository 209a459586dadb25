import { arrayOf, dataResponse, jsonRequestBody, ref, SESSION_ONLY, userErrorResponses, type Paths } from "../spec-helpers";

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
};
