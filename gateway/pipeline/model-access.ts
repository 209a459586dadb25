import { AppError } from "../../lib/errors/app-error";
import type { ModelCache } from "../model-cache";
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
 * nothing is learnt about models one may not use.
 */
export async function findAllowedModel(models: ModelCache, ctx: RequestContext, name: string): Promise<ModelRoute> {
  const { record } = ctx.key!;
  ctx.modelName = name;
  if (record.modelAllowlist.length > 0 && !record.modelAllowlist.includes(name)) throw modelNotFound(name);
  let table;
  try {
    table = await models.table(record.tenantId);
  } catch (err) {
    ctx.logger.error({ request_id: ctx.requestId, err: { message: (err as Error).message } }, "model table lookup failed");
    throw new AppError("service_unavailable", "Models cannot be looked up right now; try again shortly", { headers: { "retry-after": "2" } });
  }
  const model = table.get(name);
  if (!model || model.protocol !== PROTOCOL_OF_ROUTE[ctx.route.protocol as keyof typeof PROTOCOL_OF_ROUTE]) {
    throw modelNotFound(name);
  }
  return model;
}

/** KServe routes name the model in the path: checked before rate limits and the body. */
export function pathModelStage(models: ModelCache): Stage {
  return {
    name: "model-access(path)",
    appliesTo: (route: RouteDef) => route.auth === "api_key" && route.protocol === "kserve",
    async run(ctx) {
      ctx.model = await findAllowedModel(models, ctx, ctx.params.model!);
    },
  };
}

/** OpenAI routes name the model in the body's `model` field: checked once it is read and filtered. */
export function bodyModelStage(models: ModelCache): Stage {
  return {
    name: "model-access(body)",
    appliesTo: (route: RouteDef) => route.auth === "api_key" && route.protocol === "openai" && route.method === "POST",
    async run(ctx) {
      const name = (ctx.body as { model?: unknown }).model;
      if (typeof name !== "string") throw new AppError("validation_failed", "Invalid request body: model: required, the name of a model");
      ctx.model = await findAllowedModel(models, ctx, name);
    },
  };
}
