import type { RouteHandler } from "./handlers";
import type { createAdaptedForwarder } from "./adapted-forward";
import { backendRequestHeaders, redirectRefused, type Forwarder } from "./forward";
import type { ModelCache } from "./model-cache";
import type { ModelRoute, RequestContext } from "./pipeline/types";
import type { RouteId } from "./router";
import { backendTarget, upstreamError, type UpstreamPools } from "./upstream";

const METADATA_TIMEOUT_MS = 5_000;
const MAX_METADATA_BYTES = 256 * 1024;

/**
 * The backend's path for the model. A `/versions/{v}` of the client's path
 * chose the registry version (its backend) already, so the backend is asked
 * on the unversioned path, which every v2 server serves: registry labels
 * (`v2`) need not be versions the backend knows.
 */
function kservePath(params: Readonly<Record<string, string>>, suffix: string): string {
  return `/v2/models/${encodeURIComponent(params.model!)}${suffix}`;
}

/** KServe metadata when the backend has none to give: what the gateway knows. */
function synthesizedMetadata(model: ModelRoute) {
  return { name: model.name, versions: [], platform: "modelgate", inputs: [], outputs: [] };
}

/**
 * `GET /v2/models/{name}[/versions/{v}]`: the backend's own metadata when it answers 200,
 * a minimal one when it has none (404); its failures are 502/504 as for inference.
 */
async function modelMetadata(pools: UpstreamPools, ctx: RequestContext) {
  const model = ctx.model!;
  // TorchServe and TF Serving have no v2 metadata to ask for; a model that cannot be called safely is not asked either.
  if (model.protocol === "torchserve" || model.protocol === "tfserving" || model.unusable) return { status: 200, body: synthesizedMetadata(model) };
  const { origin, basePath } = backendTarget(model.backendUrl);
  let res;
  try {
    res = await pools.get(origin).request({
      method: "GET",
      path: basePath + kservePath(ctx.params, ""),
      headers: backendRequestHeaders(ctx, model),
      headersTimeout: Math.min(model.timeoutMs, METADATA_TIMEOUT_MS),
      bodyTimeout: Math.min(model.timeoutMs, METADATA_TIMEOUT_MS),
    });
  } catch (err) {
    throw upstreamError(err).error;
  }
  if (res.statusCode >= 300 && res.statusCode < 400) {
    await res.body.dump();
    throw redirectRefused();
  }
  try {
    const text = await res.body.text();
    if (res.statusCode === 200 && text.length <= MAX_METADATA_BYTES) {
      try {
        return { status: 200, body: { ...(JSON.parse(text) as object), name: model.name } };
      } catch {
        // not JSON: fall through to what the gateway knows
      }
    }
    return { status: 200, body: synthesizedMetadata(model) };
  } catch (err) {
    throw upstreamError(err).error;
  }
}

/** The inference routes: forwarded to the model the pipeline resolved. */
export function createInferenceHandlers(deps: {
  forward: Forwarder;
  forwardAdapted: ReturnType<typeof createAdaptedForwarder>;
  models: ModelCache;
  pools: UpstreamPools;
}): Partial<Record<RouteId, RouteHandler>> {
  const { forward } = deps;
  return {
    "openai.chat_completions": (ctx) => forward(ctx, ctx.model!, { method: "POST", path: "/chat/completions" }),
    "openai.completions": (ctx) => forward(ctx, ctx.model!, { method: "POST", path: "/completions" }),
    "openai.embeddings": (ctx) => forward(ctx, ctx.model!, { method: "POST", path: "/embeddings" }),
    "kserve.infer": (ctx) =>
      ctx.model!.protocol === "torchserve" || ctx.model!.protocol === "tfserving"
        ? deps.forwardAdapted(ctx, ctx.model!)
        : forward(ctx, ctx.model!, { method: "POST", path: kservePath(ctx.params, "/infer") }),
    "kserve.model_metadata": (ctx) => modelMetadata(deps.pools, ctx),
    "openai.models": async (ctx) => {
      const { record } = ctx.key!;
      const table = await deps.models.table(record.tenantId);
      const allowed = record.modelAllowlist;
      const data = [...table.values()]
        .filter((m) => m.protocol === "openai" && (allowed.length === 0 || allowed.includes(m.name)))
        .map((m) => ({ id: m.name, object: "model", created: m.created, owned_by: "modelgate" }));
      return { status: 200, body: { object: "list", data } };
    },
  };
}
