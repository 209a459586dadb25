import { AppError } from "../lib/errors/app-error";
import { backendRequestHeaders, redirectRefused, slotOf, type ForwarderDeps } from "./forward";
import type { ModelRoute, RequestContext } from "./pipeline/types";
import { AdapterError, ADAPTERS, v2InferRequest, type AdaptedProtocol } from "./protocol-adapters";
import type { HandlerResult } from "./respond";
import { backendTarget, upstreamError } from "./upstream";

const MAX_ADAPTED_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * A KServe v2 inference request to a TorchServe or TF Serving backend: the
 * body is translated, sent (credential added, client credentials stripped,
 * redirects refused, per-tenant concurrency counted like any other call), and
 * the answer read (bounded) and translated back. Backend errors keep their
 * status with the v2 error shape `{"error": "..."}`.
 */
export function createAdaptedForwarder(deps: ForwarderDeps) {
  return async function forwardAdapted(ctx: RequestContext, model: ModelRoute): Promise<HandlerResult> {
    const adapter = ADAPTERS[model.protocol as AdaptedProtocol];
    const parsed = v2InferRequest.safeParse(ctx.body);
    if (!parsed.success) throw new AppError("validation_failed", "Invalid request body: a KServe v2 inference request with inputs[] of name, shape, datatype, data");
    let body: Buffer;
    try {
      body = Buffer.from(JSON.stringify(adapter.request(parsed.data)));
    } catch (err) {
      if (err instanceof AdapterError) throw new AppError("validation_failed", `Invalid request body: ${err.message}`);
      throw err;
    }
    if (model.unusable) throw new AppError("bad_gateway", model.unusable);
    const tenantId = ctx.principal!.tenantId;
    const slot = slotOf(tenantId, model);
    if (!deps.concurrency.tryAcquire(slot, model.maxConcurrency)) {
      deps.onUpstreamError?.(tenantId, "concurrency", ctx);
      throw new AppError("service_unavailable", `Too many concurrent requests to model "${model.name}" for this tenant`, { headers: { "retry-after": "1" } });
    }
    try {
      const { origin, basePath } = backendTarget(model.backendUrl);
      const headers = backendRequestHeaders(ctx, model, body.length);
      headers["content-type"] = "application/json";
      let res;
      try {
        res = await deps.pools.get(origin).request({
          method: "POST",
          path: basePath + adapter.path(model.name),
          headers,
          body,
          headersTimeout: model.timeoutMs,
          bodyTimeout: model.timeoutMs,
        });
      } catch (err) {
        const failure = upstreamError(err);
        deps.onUpstreamError?.(tenantId, failure.kind, ctx);
        throw failure.error;
      }
      if (res.statusCode >= 300 && res.statusCode < 400) {
        await res.body.dump();
        deps.onUpstreamError?.(tenantId, "unreachable", ctx);
        throw redirectRefused();
      }
      const declared = Number(res.headers["content-length"] ?? 0);
      if (declared > MAX_ADAPTED_RESPONSE_BYTES) {
        await res.body.dump();
        throw new AppError("bad_gateway", "The model backend's answer is too large to translate");
      }
      const text = await res.body.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        if (res.statusCode >= 400) return { status: res.statusCode, body: { error: text.slice(0, 1000) || `backend status ${res.statusCode}` } };
        throw new AppError("bad_gateway", "The model backend's answer is not JSON");
      }
      if (res.statusCode >= 400) {
        const message = (json as { error?: unknown; message?: unknown })?.error ?? (json as { message?: unknown })?.message;
        return { status: res.statusCode, body: { error: typeof message === "string" ? message : `backend status ${res.statusCode}` } };
      }
      try {
        return { status: 200, body: adapter.response(model.name, parsed.data, json) };
      } catch (err) {
        if (err instanceof AdapterError) throw new AppError("bad_gateway", `The model backend's answer cannot be translated: ${err.message}`);
        throw err;
      }
    } finally {
      deps.concurrency.release(slot);
    }
  };
}
