import { pipeline } from "node:stream/promises";
import { AppError } from "../lib/errors/app-error";
import type { ConcurrencyLimiter } from "./concurrency";
import type { ModelRoute, RequestContext } from "./pipeline/types";
import type { HandlerResult } from "./respond";
import { backendTarget, clientResponseHeaders, upstreamError, upstreamRequestHeaders, type UpstreamFailure, type UpstreamPools } from "./upstream";
import { UsageTap } from "./usage-tap";

export type ForwarderDeps = {
  pools: UpstreamPools;
  concurrency: ConcurrencyLimiter;
  onUpstreamError?: (tenantId: string, kind: UpstreamFailure | "concurrency", ctx: RequestContext) => void;
};

export type ForwardRequest = { method: "GET" | "POST"; path: string };

const targets = new Map<string, { origin: string; basePath: string }>();

function targetOf(model: ModelRoute): { origin: string; basePath: string } {
  let target = targets.get(model.backendUrl);
  if (!target) {
    target = backendTarget(model.backendUrl);
    if (targets.size > 10_000) targets.clear();
    targets.set(model.backendUrl, target);
  }
  return target;
}

/**
 * Sends the request to the model's backend and streams the answer back:
 * status, headers (connection fields and cookies removed) and body as they
 * arrive. Before the answer starts, a timeout is a 504 and a refused or reset
 * connection a 502; after, the client connection is cut (the status is gone).
 */
export function createForwarder(deps: ForwarderDeps) {
  return async function forward(ctx: RequestContext, model: ModelRoute, req: ForwardRequest): Promise<HandlerResult> {
    const tenantId = ctx.principal!.tenantId;
    const release = deps.concurrency.tryAcquire(`${tenantId}:${model.id}`, model.maxConcurrency);
    if (!release) {
      deps.onUpstreamError?.(tenantId, "concurrency", ctx);
      throw new AppError("service_unavailable", `Too many concurrent requests to model "${model.name}" for this tenant`, {
        headers: { "retry-after": "1" },
      });
    }
    const { origin, basePath } = targetOf(model);
    const abort = new AbortController();
    const onClientGone = () => {
      if (!ctx.res.writableFinished) abort.abort();
    };
    ctx.res.once("close", onClientGone);
    try {
      let upstream;
      try {
        upstream = await deps.pools.get(origin).request({
          method: req.method,
          path: basePath + req.path,
          headers: upstreamRequestHeaders(ctx.req.headers, ctx.requestId, ctx.rawBody?.length),
          body: req.method === "POST" ? ctx.rawBody : undefined,
          headersTimeout: model.timeoutMs,
          bodyTimeout: model.timeoutMs,
          signal: abort.signal,
        });
      } catch (err) {
        if (abort.signal.aborted) return { handled: true };
        const failure = upstreamError(err);
        deps.onUpstreamError?.(tenantId, failure.kind, ctx);
        ctx.logger.warn({ request_id: ctx.requestId, tenant_id: tenantId, model: model.name, upstream: failure.kind, err: { code: (err as { code?: string }).code, message: (err as Error).message } }, "upstream request failed");
        throw failure.error;
      }
      const tap = new UsageTap();
      ctx.tokenUsage = () => tap.usage();
      ctx.res.writeHead(upstream.statusCode, { ...clientResponseHeaders(upstream.headers), ...ctx.responseHeaders });
      try {
        await pipeline(upstream.body, tap, ctx.res);
      } catch (err) {
        if (!abort.signal.aborted) {
          const failure = upstreamError(err);
          deps.onUpstreamError?.(tenantId, failure.kind, ctx);
          ctx.logger.warn({ request_id: ctx.requestId, tenant_id: tenantId, model: model.name, upstream: failure.kind, err: { message: (err as Error).message } }, "upstream response cut short");
        }
        ctx.res.destroy();
      }
      return { handled: true };
    } finally {
      ctx.res.off("close", onClientGone);
      release();
    }
  };
}

export type Forwarder = ReturnType<typeof createForwarder>;
