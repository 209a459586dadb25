import { AppError } from "../lib/errors/app-error";

export type RouteId =
  | "healthz"
  | "readyz"
  | "openai.chat_completions"
  | "openai.completions"
  | "openai.embeddings"
  | "openai.models"
  | "kserve.infer"
  | "kserve.model_metadata"
  | "kserve.health_ready"
  | "kserve.health_live";

export type RouteDef = {
  id: RouteId;
  method: "GET" | "POST";
  /** Literal segments and `{param}` segments, e.g. `/v2/models/{name}/infer`. */
  pattern: string;
  /** `none`: answered by the gateway itself, about itself (health). */
  auth: "none" | "api_key";
  protocol: "internal" | "openai" | "kserve";
};

export const ROUTES: readonly RouteDef[] = [
  { id: "healthz", method: "GET", pattern: "/healthz", auth: "none", protocol: "internal" },
  { id: "readyz", method: "GET", pattern: "/readyz", auth: "none", protocol: "internal" },
  { id: "openai.chat_completions", method: "POST", pattern: "/v1/chat/completions", auth: "api_key", protocol: "openai" },
  { id: "openai.completions", method: "POST", pattern: "/v1/completions", auth: "api_key", protocol: "openai" },
  { id: "openai.embeddings", method: "POST", pattern: "/v1/embeddings", auth: "api_key", protocol: "openai" },
  { id: "openai.models", method: "GET", pattern: "/v1/models", auth: "api_key", protocol: "openai" },
  { id: "kserve.infer", method: "POST", pattern: "/v2/models/{model}/infer", auth: "api_key", protocol: "kserve" },
  { id: "kserve.infer", method: "POST", pattern: "/v2/models/{model}/versions/{version}/infer", auth: "api_key", protocol: "kserve" },
  { id: "kserve.model_metadata", method: "GET", pattern: "/v2/models/{model}", auth: "api_key", protocol: "kserve" },
  { id: "kserve.model_metadata", method: "GET", pattern: "/v2/models/{model}/versions/{version}", auth: "api_key", protocol: "kserve" },
  { id: "kserve.health_ready", method: "GET", pattern: "/v2/health/ready", auth: "none", protocol: "kserve" },
  { id: "kserve.health_live", method: "GET", pattern: "/v2/health/live", auth: "none", protocol: "kserve" },
];

/** What a `{param}` segment may hold once percent-decoded; anything else is no route. */
const PARAM_RULES: Record<string, RegExp> = {
  model: /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/,
  version: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
};

type Segment = { literal: string } | { param: string };
type CompiledRoute = { def: RouteDef; segments: Segment[] };

function compile(def: RouteDef): CompiledRoute {
  const segments = def.pattern
    .slice(1)
    .split("/")
    .map((s): Segment => {
      const m = /^\{(\w+)\}$/.exec(s);
      if (!m) return { literal: s };
      if (!PARAM_RULES[m[1]!]) throw new Error(`route ${def.pattern}: no rule for {${m[1]}}`);
      return { param: m[1]! };
    });
  return { def, segments };
}

export type RouteMatch = { route: RouteDef; params: Readonly<Record<string, string>> };

export type Router = { match(method: string, path: string): RouteMatch };

export const MAX_PATH_LENGTH = 2048;

function decodeSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function matchPath(route: CompiledRoute, parts: string[]): Record<string, string> | undefined {
  if (route.segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const seg = route.segments[i]!;
    const part = parts[i]!;
    if ("literal" in seg) {
      if (seg.literal !== part) return undefined;
      continue;
    }
    const value = decodeSegment(part);
    if (value === undefined || !PARAM_RULES[seg.param]!.test(value)) return undefined;
    params[seg.param] = value;
  }
  return params;
}

/** The methods a client may use on a route (HEAD comes with GET), for `Allow`. */
export function allowedMethods(routes: readonly RouteDef[]): string[] {
  const methods = new Set<string>();
  for (const r of routes) {
    methods.add(r.method);
    if (r.method === "GET") methods.add("HEAD");
  }
  return [...methods].sort();
}

/**
 * Exact, case-sensitive matching of the path (no query) against the route
 * table: no normalisation, so `/v1/models/`, `//v1/models` and `/v1/../healthz`
 * are simply unknown. Throws 404 `not_found` for an unknown path and 405
 * `method_not_allowed` (with `Allow`) for a known path and another method.
 */
const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

export function createRouter(routes: readonly RouteDef[] = ROUTES): Router {
  const compiled = routes.map(compile);
  // Paths without parameters, straight from a table (they never overlap a parameterised route here).
  const literal = new Map<string, Map<string, RouteMatch>>();
  for (const { def, segments } of compiled) {
    if (segments.some((s) => "param" in s)) continue;
    let byMethod = literal.get(def.pattern);
    if (!byMethod) literal.set(def.pattern, (byMethod = new Map()));
    if (!byMethod.has(def.method)) byMethod.set(def.method, { route: def, params: NO_PARAMS });
  }
  return {
    match(method, path) {
      const effective = method === "HEAD" ? "GET" : method;
      const hit = literal.get(path)?.get(effective);
      if (hit) return hit;
      if (!path.startsWith("/") || path.length > MAX_PATH_LENGTH) {
        throw new AppError("not_found", "No route for this path");
      }
      const parts = path.slice(1).split("/");
      const onPath: RouteDef[] = [];
      for (const route of compiled) {
        const params = matchPath(route, parts);
        if (!params) continue;
        if (route.def.method === effective) return { route: route.def, params };
        onPath.push(route.def);
      }
      if (onPath.length === 0) throw new AppError("not_found", "No route for this path");
      const allow = allowedMethods(onPath).join(", ");
      throw new AppError("method_not_allowed", `Method ${method} is not allowed here; allowed: ${allow}`, {
        headers: { allow },
      });
    },
  };
}

/** Splits a request target into path and raw query (no `?`); only origin-form (`/path?query`) is routable. */
export function splitTarget(url: string | undefined): { path: string; query: string } {
  const target = url ?? "";
  const q = target.indexOf("?");
  return q === -1 ? { path: target, query: "" } : { path: target.slice(0, q), query: target.slice(q + 1) };
}
