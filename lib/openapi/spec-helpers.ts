import type { JsonSchema } from "./json-schema";

/** The parts of an OpenAPI 3.1 document this project writes (a loose, JSON-shaped subset). */
export type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Array<Record<string, string[]>>;
  parameters?: Array<{ $ref: string } | Record<string, unknown>>;
  requestBody?: Record<string, unknown>;
  responses: Record<string, Record<string, unknown>>;
  "x-modelgate-permission"?: string;
  "x-modelgate-key-scopes"?: string[];
};
export type PathItem = Partial<Record<"get" | "post" | "put" | "patch" | "delete", Operation>>;
export type Paths = Record<string, PathItem>;

export const ref = (kind: "schemas" | "responses" | "parameters" | "headers", name: string) => ({
  $ref: `#/components/${kind}/${name}`,
});

/** Who may call: a console session only, or a session or an API key with one of `scopes`. */
export const SESSION_ONLY: Operation["security"] = [{ sessionCookie: [] }];
export const SESSION_OR_KEY: Operation["security"] = [{ sessionCookie: [] }, { apiKey: [] }];

const REQUEST_ID_HEADER = { "x-request-id": ref("headers", "RequestId") };

/** A success response whose body is `{ "data": <schema> }`. */
export function dataResponse(description: string, data: JsonSchema, extraHeaders: Record<string, unknown> = {}) {
  return {
    description,
    headers: { ...REQUEST_ID_HEADER, ...extraHeaders },
    content: {
      "application/json": {
        schema: { type: "object", properties: { data }, required: ["data"], additionalProperties: false },
      },
    },
  };
}

export const arrayOf = (items: JsonSchema) => ({ type: "array", items });

export function jsonRequestBody(schema: JsonSchema, required = true) {
  return { required, content: { "application/json": { schema } } };
}

const NAMED_ERRORS = {
  "400": "BadRequest",
  "401": "Unauthorized",
  "403": "Forbidden",
  "404": "NotFound",
  "409": "Conflict",
  "410": "Gone",
  "415": "UnsupportedMediaType",
  "429": "TooManyRequests",
  "500": "InternalError",
} as const;
type ErrorStatus = keyof typeof NAMED_ERRORS;

/** Error responses by status, as references to the shared ones. */
export function errors(...statuses: ErrorStatus[]) {
  return Object.fromEntries(statuses.map((s) => [s, ref("responses", NAMED_ERRORS[s])]));
}

/** The errors any tenant route can answer with (401, 403, 404, 500), plus `extra`. */
export function errorResponses(...extra: ErrorStatus[]) {
  return errors("401", "403", "404", "500", ...extra);
}

/** The errors any signed-in-user route can answer with (401; 403 for a cross-origin write; 500), plus `extra`. */
export function userErrorResponses(...extra: ErrorStatus[]) {
  return errors("401", "403", "500", ...extra);
}

/** A success response without a body. */
export const noContent = (description: string) => ({ description, headers: REQUEST_ID_HEADER });

/** The no-store header on responses that carry a secret. */
export const NO_STORE_HEADER = {
  "cache-control": {
    description: "Always `no-store`: the response carries a secret shown only once.",
    schema: { type: "string", const: "no-store" },
  },
};
