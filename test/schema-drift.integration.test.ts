import { readFileSync } from "node:fs";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { superuser } from "./db-helpers";

/**
 * The SQL migrations are the source of truth (Prisma's migration engine is not
 * available here). This holds prisma/schema.prisma — and so the generated
 * client — against the live, migrated catalog: every model is a table, every
 * field a column of a matching type and nullability, every enum the same
 * labels, and no column is missing from the schema.
 */
type Field = { name: string; column: string; type: string; optional: boolean; list: boolean };
type Model = { name: string; table: string; fields: Field[] };

function parseSchema(text: string): { models: Model[]; enums: Map<string, string[]> } {
  const enums = new Map<string, string[]>();
  for (const m of text.matchAll(/^enum (\w+) \{([\s\S]*?)^\}/gm)) {
    enums.set(m[1]!, m[2]!.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("//")));
  }
  const blocks = [...text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)];
  const modelNames = new Set(blocks.map((b) => b[1]!));
  const models = blocks.map((b) => {
    const body = b[2]!;
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? b[1]!;
    const fields: Field[] = [];
    for (const line of body.split("\n")) {
      const m = /^\s*(\w+)\s+(\w+)(\?|\[\])?(.*)$/.exec(line);
      if (!m || line.trim().startsWith("//") || line.trim().startsWith("@@")) continue;
      const [, name, type, modifier, rest] = m;
      if (modelNames.has(type!)) continue; // relation fields
      fields.push({ name: name!, column: /@map\("([^"]+)"\)/.exec(rest!)?.[1] ?? name!, type: type!, optional: modifier === "?", list: modifier === "[]" });
    }
    return { name: b[1]!, table, fields };
  });
  return { models, enums };
}

const SQL_TYPES: Record<string, (c: { data_type: string; udt_name: string }) => boolean> = {
  String: (c) => ["text", "uuid", "character varying"].includes(c.data_type),
  DateTime: (c) => c.data_type.startsWith("timestamp"),
  Boolean: (c) => c.data_type === "boolean",
  Json: (c) => c.data_type === "jsonb",
  Int: (c) => c.data_type === "integer",
  BigInt: (c) => c.data_type === "bigint",
  Bytes: (c) => c.data_type === "bytea",
};

describe("prisma/schema.prisma matches the migrated database", () => {
  const schema = parseSchema(readFileSync("prisma/schema.prisma", "utf8"));
  let su: pg.Client;
  beforeAll(async () => {
    su = await superuser();
  });
  afterAll(async () => {
    await su.end();
  });

  it("parses the schema (sanity)", () => {
    expect(schema.models.map((m) => m.table)).toContain("memberships");
  });

  it("every table is a model and every model a table", async () => {
    const { rows } = await su.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'",
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual(schema.models.map((m) => m.table).sort());
  });

  it("every column matches its field in name, type and nullability", async () => {
    const problems: string[] = [];
    for (const model of schema.models) {
      const { rows } = await su.query<{ column_name: string; data_type: string; udt_name: string; is_nullable: string }>(
        "SELECT column_name, data_type, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
        [model.table],
      );
      const columns = new Map(rows.map((r) => [r.column_name, r]));
      for (const f of model.fields) {
        const c = columns.get(f.column);
        if (!c) {
          problems.push(`${model.table}.${f.column}: in schema.prisma, not in the database`);
          continue;
        }
        columns.delete(f.column);
        const typeOk = f.list
          ? c.data_type === "ARRAY" && SQL_TYPES[f.type]?.({ data_type: c.udt_name === "_text" ? "text" : c.udt_name.slice(1), udt_name: c.udt_name.slice(1) })
          : schema.enums.has(f.type) ? c.udt_name === f.type : SQL_TYPES[f.type]?.(c);
        if (!typeOk) problems.push(`${model.table}.${f.column}: ${f.type} in schema, ${c.udt_name} in database`);
        if ((c.is_nullable === "YES") !== f.optional) {
          problems.push(`${model.table}.${f.column}: ${f.optional ? "optional" : "required"} in schema, ${c.is_nullable === "YES" ? "nullable" : "NOT NULL"} in database`);
        }
      }
      for (const extra of columns.keys()) problems.push(`${model.table}.${extra}: in the database, not in schema.prisma`);
    }
    expect(problems).toEqual([]);
  });

  it("every enum has the same labels in the same order", async () => {
    for (const [name, labels] of schema.enums) {
      const { rows } = await su.query<{ enumlabel: string }>(
        "SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = $1 ORDER BY e.enumsortorder",
        [name],
      );
      expect(rows.map((r) => r.enumlabel), `enum ${name}`).toEqual(labels);
    }
  });
});
