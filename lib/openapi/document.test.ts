import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_STATUS } from "../errors/app-error";
import { openApiDocument } from "./document";

type Json = Record<string, unknown>;
const doc = openApiDocument() as Json & { paths: Record<string, Record<string, Json>>; components: Json };
const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** Every route file under app/api/v1 as [OpenAPI path, HTTP methods it exports]. */
function routeFiles(): Array<[string, string[]]> {
  const root = path.resolve(import.meta.dirname, "../../app/api/v1");
  const out: Array<[string, string[]]> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/^route\.(ts|tsx|js)$/.test(entry.name)) {
        const rel = path.relative(root, dir).split(path.sep).filter(Boolean);
        // [slug] → {slug}; route groups "(x)" are not part of the URL.
        const segments = rel.filter((s) => !/^\(.*\)$/.test(s)).map((s) => s.replace(/^\[(\w+)\]$/, "{$1}"));
        const source = readFileSync(full, "utf8");
        const methods = [...source.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map(
          (m) => m[1]!.toLowerCase(),
        );
        out.push([`/api/v1${segments.length ? `/${segments.join("/")}` : ""}`, methods]);
      }
    }
  };
  walk(root);
  return out;
}

function resolvePointer(ref: string): unknown {
  expect(ref.startsWith("#/"), `external or malformed $ref ${ref}`).toBe(true);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || !(key in (node as Json))) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}

const deref = (node: unknown) => {
  const ref = (node as Json | undefined)?.$ref;
  return (typeof ref === "string" ? resolvePointer(ref) : node) as Json;
};

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1.0 with info, paths and components", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
    expect(Object.keys(doc.components)).toEqual(
      expect.arrayContaining(["schemas", "securitySchemes", "responses", "parameters"]),
    );
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it("documents every route file under app/api/v1, and nothing that does not exist", () => {
    const files = routeFiles();
    expect(files.length).toBeGreaterThanOrEqual(8);
    const missing: string[] = [];
    for (const [p, methods] of files) {
      expect(methods.length, `${p} exports no handler`).toBeGreaterThan(0);
      for (const m of methods) if (!doc.paths[p]?.[m]) missing.push(`${m.toUpperCase()} ${p}`);
    }
    expect(missing, "routes without an OpenAPI entry (add them in lib/openapi/paths/)").toEqual([]);

    const existing = new Set(files.flatMap(([p, methods]) => methods.map((m) => `${m} ${p}`)));
    const phantom = Object.entries(doc.paths).flatMap(([p, item]) =>
      Object.keys(item).filter((m) => !existing.has(`${m} ${p}`)).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(phantom, "documented operations without a route").toEqual([]);
  });

  it("gives every path operations, each with an id, security and responses", () => {
    const ids = new Set<string>();
    const schemes = Object.keys(doc.components.securitySchemes as Json);
    for (const [p, item] of Object.entries(doc.paths)) {
      const ops = Object.entries(item).filter(([m]) => (METHODS as readonly string[]).includes(m));
      expect(ops.length, p).toBeGreaterThan(0);
      for (const [m, op] of ops) {
        const where = `${m.toUpperCase()} ${p}`;
        expect(op.operationId, where).toEqual(expect.any(String));
        expect(ids.has(op.operationId as string), `duplicate operationId ${op.operationId}`).toBe(false);
        ids.add(op.operationId as string);
        const responses = op.responses as Json;
        expect(Object.keys(responses).length, where).toBeGreaterThan(0);
        expect(Object.keys(responses).some((s) => /^2\d\d$/.test(s)), `${where} has no success response`).toBe(true);
        for (const [status, res] of Object.entries(responses)) {
          expect(status, where).toMatch(/^[1-5]\d\d$/);
          expect(deref(res).description, `${where} ${status}`).toEqual(expect.any(String));
        }
        for (const requirement of op.security as Json[]) {
          for (const name of Object.keys(requirement)) expect(schemes, where).toContain(name);
        }
        // Each {param} in the path is declared as a path parameter.
        const declared = ((op.parameters as unknown[]) ?? []).map(deref).filter((x) => x.in === "path").map((x) => x.name);
        const inPath = [...p.matchAll(/\{(\w+)\}/g)].map((x) => x[1]);
        expect(declared.sort(), where).toEqual(inPath.sort());
      }
    }
  });

  it("resolves every $ref inside the document", () => {
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(20);
    const broken = [...new Set(refs)].filter((r) => resolvePointer(r) === undefined);
    expect(broken).toEqual([]);
  });

  it("describes errors as {error:{code,message,request_id,fields?}} with every code of app-error.ts", () => {
    const error = (doc.components.schemas as Record<string, Json>).Error as Json & {
      properties: { error: { properties: Record<string, Json>; required: string[] } };
    };
    const inner = error.properties.error;
    expect(inner.required.sort()).toEqual(["code", "message", "request_id"]);
    expect(Object.keys(inner.properties).sort()).toEqual(["code", "fields", "message", "request_id"]);
    expect(inner.properties.code!.enum).toEqual(Object.keys(ERROR_STATUS));
  });

  it("declares both ways in: the session cookie and a bearer API key", () => {
    expect(doc.components.securitySchemes).toMatchObject({
      sessionCookie: { type: "apiKey", in: "cookie" },
      apiKey: { type: "http", scheme: "bearer" },
    });
  });

  it("derives schemas from the zod schemas, leaving no field undescribed", () => {
    const schemas = doc.components.schemas as Record<string, Json>;
    expect(schemas.CreatedApiKey!.required).toEqual(expect.arrayContaining(["id", "key", "displayPrefix"]));
    expect(schemas.ApiKey!.properties).not.toHaveProperty("hash");
    expect((schemas.CreateApiKeyRequest!.properties as Record<string, Json>).expiresAt).toEqual({ type: "string", format: "date-time" });
    expect((schemas.Member!.properties as Record<string, Json>).createdAt).toEqual({ type: "string", format: "date-time" });
    const empty: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (!node || typeof node !== "object") return;
      if (!Array.isArray(node) && Object.keys(node).length === 0) empty.push(at);
      for (const [k, v] of Object.entries(node)) walk(v, `${at}/${k}`);
    };
    walk(schemas, "#/components/schemas");
    walk(doc.paths, "#/paths");
    expect(empty, "schemas that say nothing (an unrepresentable zod type?)").toEqual([]);
  });
});
