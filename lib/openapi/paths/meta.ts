import type { Paths } from "../spec-helpers";

export const metaPaths: Paths = {
  "/api/v1/openapi.json": {
    get: {
      operationId: "getOpenApiDocument",
      summary: "This document",
      description: "The OpenAPI 3.1 description of the management API. No authentication.",
      tags: ["Meta"],
      security: [],
      responses: {
        "200": {
          description: "An OpenAPI 3.1 document.",
          content: { "application/json": { schema: { type: "object" } } },
        },
      },
    },
  },
};
