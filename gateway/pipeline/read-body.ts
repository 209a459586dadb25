import { AppError } from "../../lib/errors/app-error";
import { DEFAULT_MAX_JSON_DEPTH, exceedsJsonDepth, filterInferenceBody, isFilteredRoute } from "../../lib/policy/input-filter";
import { bufferedBody, DEFAULT_MAX_BODY_BYTES, payloadTooLarge, readBodyLimited } from "./body-limit";
import type { RequestContext, Stage } from "./types";

export type BodyLimit = number | ((ctx: RequestContext) => number);

/** The tenant's own limit once its key is known, never above the gateway's ceiling. */
export const tenantBodyLimit =
  (ceiling: number = DEFAULT_MAX_BODY_BYTES) =>
  (ctx: RequestContext): number =>
    Math.min(ctx.key?.record.tenant.maxBodyBytes ?? ceiling, ceiling);

/**
 * Reads and parses the JSON body of a POST, within the size limit (the
 * declared length first, then again while streaming: Content-Length may be
 * absent or wrong) and the nesting limit (checked on the raw bytes before
 * parsing). Placed after authentication and rate limits, so no memory is
 * spent on bodies of clients that are refused anyway.
 */
export function readBodyStage(limit: BodyLimit = DEFAULT_MAX_BODY_BYTES, maxDepth: number = DEFAULT_MAX_JSON_DEPTH): Stage {
  function parse(ctx: RequestContext, raw: Buffer): void {
    if (exceedsJsonDepth(raw, maxDepth)) {
      throw new AppError("bad_request", `Request body nests objects or arrays deeper than ${maxDepth} levels`);
    }
    try {
      ctx.body = JSON.parse(raw.toString("utf8"));
    } catch {
      throw new AppError("bad_request", "Request body is not valid JSON");
    }
    ctx.rawBody = raw;
  }
  function refused(ctx: RequestContext, err: unknown): never {
    if (err instanceof AppError) ctx.closeConnection = true;
    throw err;
  }
  /** The body as it arrives, within the limit: listeners and a promise (large or slow bodies). */
  function streamed(ctx: RequestContext, maxBytes: number): Promise<void> {
    return readBodyLimited(ctx.req, maxBytes).then(
      (body) => parse(ctx, body),
      (err: unknown) => refused(ctx, err),
    );
  }
  /** After node's parser has finished the packet that held the headers: a small body that came with them is buffered by then. */
  function afterHeaders(ctx: RequestContext): void | Promise<void> {
    const maxBytes = typeof limit === "number" ? limit : limit(ctx);
    const raw = bufferedBody(ctx.req, maxBytes);
    return raw ? parse(ctx, raw) : streamed(ctx, maxBytes);
  }
  return {
    name: "read-body",
    appliesTo: (route) => route.method === "POST",
    run(ctx) {
      const maxBytes = typeof limit === "number" ? limit : limit(ctx);
      const declared = ctx.req.headers["content-length"];
      if (declared !== undefined && Number(declared) > maxBytes) {
        ctx.closeConnection = true;
        throw payloadTooLarge(maxBytes);
      }
      const sentBefore = ctx.bodyAccepted;
      ctx.acceptBody();
      const raw = bufferedBody(ctx.req, maxBytes);
      if (raw) return parse(ctx, raw);
      // The stages before this one ran synchronously inside node's 'request' event, which fires when the
      // headers are parsed and before the rest of their packet (usually the whole body) is: look again
      // once the parser is done, one microtask later, before falling back to listeners. A client that
      // waited for 100 Continue has sent nothing yet.
      if (!sentBefore) return streamed(ctx, maxBytes);
      return Promise.resolve(ctx).then(afterHeaders);
    },
  };
}

/** The protocol schema of the route (lib/policy/input-filter.ts): 400 `validation_failed` otherwise. */
export const inputFilterStage: Stage = {
  name: "input-filter",
  appliesTo: (route) => route.method === "POST" && isFilteredRoute(route.id),
  run(ctx) {
    if (isFilteredRoute(ctx.route.id)) filterInferenceBody(ctx.route.id, ctx.body);
  },
};
