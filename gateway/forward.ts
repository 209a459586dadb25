import type { Dispatcher } from "undici";
import { AppError } from "../lib/errors/app-error";
import type { ConcurrencyLimiter } from "./concurrency";
import type { ModelRoute, RequestContext } from "./pipeline/types";
import { writeHeadList, type HandlerResult } from "./respond";
import {
  backendTarget,
  clientResponseHeaderList,
  upstreamError,
  upstreamRequestHeaders,
  type UpstreamFailure,
  type UpstreamPools,
} from "./upstream";
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

const HANDLED: HandlerResult = Object.freeze({ handled: true as const });

class ClientClosedError extends Error {
  constructor() {
    super("the client closed the connection");
    this.name = "ClientClosedError";
  }
}

/** A backend answered 3xx: the gateway never follows a redirect (it could lead anywhere, SSRF) nor passes it on. */
export class RedirectRefusedError extends Error {
  readonly code = "MG_REDIRECT_REFUSED";
  constructor(readonly status: number) {
    super(`the model backend answered ${status} (a redirect), which is not followed`);
    this.name = "RedirectRefusedError";
  }
}

export const redirectRefused = () => new AppError("bad_gateway", "The model backend answered with a redirect; redirects are not followed");

/** The headers for the backend: the client's minus its credentials (upstream.ts), plus the backend's own credential. */
export function backendRequestHeaders(ctx: RequestContext, model: ModelRoute, bodyLength?: number): Record<string, string> {
  const headers = upstreamRequestHeaders(ctx.req.headers, ctx.requestId, bodyLength);
  if (model.credential) headers[model.credential.name] = model.credential.value;
  return headers;
}

/**
 * One forwarded request, as undici's dispatch handler: the response goes
 * straight from undici's parser to `res` (no stream, no AbortController, no
 * promise: a failure before the answer starts goes to `ctx.fail`, which
 * answers it as a 502/504). The body flows with backpressure, and the
 * concurrency slot is released when the exchange is over, however it ends.
 */
class UpstreamExchange implements Dispatcher.DispatchHandler {
  private abortUpstream: ((err?: Error) => void) | null = null;
  private gone = false;
  private started = false;
  private finished = false;
  private resumeUpstream: (() => void) | null = null;
  private readonly tap = new UsageTap();
  private remaining = -1;

  constructor(
    private readonly ctx: RequestContext,
    private readonly model: ModelRoute,
    private readonly deps: ForwarderDeps,
    private readonly slot: string,
  ) {
    ctx.usageTap = this.tap;
    ctx.inFlight = this;
  }

  /** The client went away before the exchange was over: cut the upstream request. */
  clientGone(): void {
    if (this.finished) return;
    this.gone = true;
    this.abortUpstream?.(new ClientClosedError());
  }

  /** Created on the first backpressure only (most responses never wait for `drain`). */
  private onDrain: (() => void) | null = null;

  onConnect(abort: (err?: Error) => void): void {
    if (this.gone) abort(new ClientClosedError());
    else this.abortUpstream = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true; // 1xx informational: the final answer follows
    if (statusCode >= 300 && statusCode < 400) {
      this.abortUpstream?.(new RedirectRefusedError(statusCode));
      return false;
    }
    const { ctx } = this;
    this.resumeUpstream = resume;
    const headers = clientResponseHeaderList(rawHeaders, ctx.responseHeaders, ctx.requestId);
    this.remaining = contentLengthOf(headers);
    // Throws on a field node will not send (an invalid character): undici then aborts, and it is a 502.
    writeHeadList(ctx.res, statusCode, headers);
    this.started = true;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.tap.push(chunk);
    const { res } = this.ctx;
    if (this.remaining === chunk.length) {
      // The whole (rest of the) body: one write with the headers, no separate end.
      this.remaining = 0;
      res.end(chunk);
      return true;
    }
    if (this.remaining > 0) this.remaining -= chunk.length;
    if (res.write(chunk)) return true;
    this.onDrain ??= () => this.resumeUpstream?.();
    res.once("drain", this.onDrain);
    return false;
  }

  onComplete(): void {
    const { res } = this.ctx;
    if (this.onDrain) res.off("drain", this.onDrain);
    if (!res.writableEnded) res.end();
    this.finish();
  }

  onError(err: Error): void {
    const { ctx, model } = this;
    if (this.onDrain) ctx.res.off("drain", this.onDrain);
    this.finish();
    if (this.gone) {
      ctx.res.destroy();
      return;
    }
    const failure = err instanceof RedirectRefusedError ? { kind: "unreachable" as const, error: redirectRefused() } : upstreamError(err);
    const tenantId = ctx.principal!.tenantId;
    this.deps.onUpstreamError?.(tenantId, failure.kind, ctx);
    const code = (err as { code?: string }).code;
    if (!this.started) {
      ctx.logger.warn(
        { request_id: ctx.requestId, tenant_id: tenantId, model: model.name, upstream: failure.kind, err: { code, message: err.message } },
        "upstream request failed",
      );
      ctx.fail(failure.error);
      return;
    }
    ctx.logger.warn(
      { request_id: ctx.requestId, tenant_id: tenantId, model: model.name, upstream: failure.kind, err: { message: err.message } },
      "upstream response cut short",
    );
    ctx.res.destroy();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.ctx.inFlight = undefined;
    this.deps.concurrency.release(this.slot);
  }
}

const CONTENT_LENGTH = /^\d{1,15}$/;

/** The Content-Length passed on to the client (from `clientResponseHeaderList`), or -1 when there is none. */
function contentLengthOf(headers: readonly string[]): number {
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] !== "content-length") continue;
    const value = headers[i + 1]!.trim();
    return CONTENT_LENGTH.test(value) ? Number(value) : -1;
  }
  return -1;
}

/** The concurrency slot of a tenant's model version: one key string per route record, not one per request. */
const slots = new WeakMap<ModelRoute, { tenantId: string; key: string }>();
export function slotOf(tenantId: string, model: ModelRoute): string {
  const slot = slots.get(model);
  if (slot && slot.tenantId === tenantId) return slot.key;
  const key = `${tenantId}:${model.id}`;
  slots.set(model, { tenantId, key });
  return key;
}

/**
 * Sends the request to the model's backend and streams the answer back:
 * status, headers (connection fields and cookies removed) and body as they
 * arrive. Before the answer starts, a timeout is a 504 and a refused or reset
 * connection a 502 (through `ctx.fail`); after, the client connection is cut
 * (the status is gone). Returns `handled` at once: the exchange writes the
 * response itself, whenever the backend answers.
 */
export function createForwarder(deps: ForwarderDeps) {
  return function forward(ctx: RequestContext, model: ModelRoute, req: ForwardRequest): HandlerResult {
    const tenantId = ctx.principal!.tenantId;
    if (model.unusable) throw new AppError("bad_gateway", model.unusable);
    const slot = slotOf(tenantId, model);
    if (!deps.concurrency.tryAcquire(slot, model.maxConcurrency)) {
      deps.onUpstreamError?.(tenantId, "concurrency", ctx);
      throw new AppError("service_unavailable", `Too many concurrent requests to model "${model.name}" for this tenant`, {
        headers: { "retry-after": "1" },
      });
    }
    const { origin, basePath } = targetOf(model);
    const exchange = new UpstreamExchange(ctx, model, deps, slot);
    try {
      deps.pools.get(origin).dispatch(
        {
          method: req.method,
          path: basePath + req.path,
          headers: backendRequestHeaders(ctx, model, ctx.rawBody?.length),
          body: req.method === "POST" ? ctx.rawBody : undefined,
          headersTimeout: model.timeoutMs,
          bodyTimeout: model.timeoutMs,
        },
        exchange,
      );
    } catch (err) {
      exchange.onError(err as Error);
    }
    return HANDLED;
  };
}

export type Forwarder = ReturnType<typeof createForwarder>;
