import { AppError } from "../../lib/errors/app-error";
import type { ModelCache, ModelTable } from "../model-cache";
import type { RouteDef } from "../router";
import type { ModelRoute, RequestContext, Stage } from "./types";

const PROTOCOL_OF_ROUTE = { openai: "openai", kserve: "kserve-v2" } as const;

function modelNotFound(name: string): AppError {
  return new AppError("model_not_found", `The model "${name}" does not exist or this API key may not use it`);
}

/**
 * The model the request may reach: one of the tenant's enabled models, of the
 * route's protocol, and in the key's allow-list when it has one. Every other
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
  if (!model || model.protocol !== PROTOCOL_OF_ROUTE[ctx.route.protocol as keyof typeof PROTOCOL_OF_ROUTE]) {
    throw modelNotFound(name);
  }
  return model;
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
