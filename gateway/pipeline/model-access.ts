import { AppError } from "../../lib/errors/app-error";
import { pickRoute, pickVersion, type ModelCache, type ModelTable } from "../model-cache";
import type { RouteDef } from "../router";
import type { ModelProtocol, ModelRoute, RequestContext, Stage } from "./types";

/** Which model protocols each route family serves: TorchServe and TF Serving are adapted from KServe v2. */
const PROTOCOLS_OF_ROUTE: Readonly<Record<string, readonly ModelProtocol[]>> = {
  openai: ["openai"],
  kserve: ["kserve-v2", "torchserve", "tfserving"],
};

function modelNotFound(name: string): AppError {
  return new AppError("model_not_found", `The model "${name}" does not exist or this API key may not use it`);
}

/**
 * The model the request may reach: one of the tenant's enabled models (or a
 * shared model granted to it), of the route's protocol, and in the key's
 * allow-list when it has one; then the version that serves this request
 * (the one the KServe path names, else the default, or the canary for its
 * share of requests; an unknown named version is 404
 * `model_version_not_found`). Every other
 * case (another tenant's model, a disabled one, a typo) is the same 404, so
 * nothing is learnt about models one may not use. Synchronous when the
 * tenant's model table is in memory.
 */
export function findAllowedModel(models: ModelCache, ctx: RequestContext, name: string): ModelRoute | Promise<ModelRoute> {
  const { record } = ctx.key!;
  ctx.modelName = name;
  if (record.modelAllowlist.length > 0 && !record.modelAllowlist.includes(name)) throw modelNotFound(name);
  const cached = models.peek(record.tenantId);
  if (cached) return pick(cached, ctx, name);
  return models.table(record.tenantId).then(
    (table) => pick(table, ctx, name),
    (err: unknown) => {
      ctx.logger.error({ request_id: ctx.requestId, err: { message: (err as Error).message } }, "model table lookup failed");
      throw new AppError("service_unavailable", "Models cannot be looked up right now; try again shortly", { headers: { "retry-after": "2" } });
    },
  );
}

function pick(table: ModelTable, ctx: RequestContext, name: string): ModelRoute {
  const model = table.get(name);
  if (!model || !PROTOCOLS_OF_ROUTE[ctx.route.protocol]?.includes(model.protocol)) {
    throw modelNotFound(name);
  }
  return ctx.params.version === undefined ? pickRoute(model) : pickVersion(model, ctx.params.version);
}

function settle(ctx: RequestContext, found: ModelRoute | Promise<ModelRoute>): void | Promise<void> {
  if (!(found instanceof Promise)) {
    ctx.model = found;
    return;
  }
  return found.then((model) => {
    ctx.model = model;
  });
}

/** KServe routes name the model in the path: checked before rate limits and the body. */
export function pathModelStage(models: ModelCache): Stage {
  return {
    name: "model-access(path)",
    appliesTo: (route: RouteDef) => route.auth === "api_key" && route.protocol === "kserve",
    run(ctx) {
      return settle(ctx, findAllowedModel(models, ctx, ctx.params.model!));
    },
  };
}

/** OpenAI routes name the model in the body's `model` field: checked once it is read and filtered. */
export function bodyModelStage(models: ModelCache): Stage {
  return {
    name: "model-access(body)",
    appliesTo: (route: RouteDef) => route.auth === "api_key" && route.protocol === "openai" && route.method === "POST",
    run(ctx) {
      const name = (ctx.body as { model?: unknown }).model;
      if (typeof name !== "string") throw new AppError("validation_failed", "Invalid request body: model: required, the name of a model");
      return settle(ctx, findAllowedModel(models, ctx, name));
    },
  };
}
