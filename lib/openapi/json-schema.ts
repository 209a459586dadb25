import { z } from "zod";

export type JsonSchema = Record<string, unknown>;

type ZodDef = { type: string; in?: { _zod: { def: ZodDef } }; out?: { _zod: { def: ZodDef } } };

const DATE_TIME = { type: "string", format: "date-time" } as const;

/**
 * A zod schema as a JSON Schema (2020-12, which OpenAPI 3.1 uses), for the
 * request (`input`) or response (`output`) side. Dates — and the
 * `z.date().transform(d => d.toISOString())` our output schemas use — become
 * ISO 8601 strings; any other transform whose output cannot be described
 * throws, so the document never silently says "anything" about a field.
 */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
    override: ({ zodSchema, jsonSchema, path }) => {
      const def = (zodSchema as unknown as { _zod: { def: ZodDef } })._zod.def;
      if (def.type === "date") {
        Object.assign(jsonSchema, DATE_TIME);
      } else if (def.type === "pipe" && io === "output" && def.in?._zod.def.type === "date" && def.out?._zod.def.type === "transform") {
        for (const k of Object.keys(jsonSchema)) delete jsonSchema[k];
        Object.assign(jsonSchema, DATE_TIME);
      } else if (def.type === "pipe" && io === "output" && def.out?._zod.def.type === "transform") {
        throw new Error(`jsonSchemaOf: the output of the transform at ${path.join(".") || "(root)"} cannot be described`);
      }
      // zod spells a UUID's format out as a long pattern too; the format says it.
      if (jsonSchema.format === "uuid") delete jsonSchema.pattern;
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}
