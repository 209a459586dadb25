import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { RequestContext, Stage } from "./pipeline";
import type { RouteDef } from "./router";
import type { FinishedRequest } from "./server";

/*
 * The per-request objects of the server (server.ts). Both are classes with
 * every field set in the constructor, so every request has the same shape
 * (one hidden class for the JIT, no dictionary-mode objects) and costs two
 * allocations, not a closure per callback.
 */

/** Runs `stages` from `from` on: synchronously while they are, chaining only on a stage that returns a promise. */
export function runStages(stages: readonly Stage[], ctx: RequestContext, from = 0): void | Promise<void> {
  for (let i = from; i < stages.length; i++) {
    const pending = stages[i]!.run(ctx);
    if (pending) return pending.then(() => runStages(stages, ctx, i + 1));
  }
}

export function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T> | undefined)?.then === "function";
}

/** A request as the stages see it: one shape for every request (all fields exist from the start). */
export class GatewayRequestContext implements RequestContext {
  key: RequestContext["key"] = undefined;
  principal: RequestContext["principal"] = undefined;
  clientIp: RequestContext["clientIp"] = undefined;
  clientAddress: RequestContext["clientAddress"] = undefined;
  modelName: RequestContext["modelName"] = undefined;
  model: RequestContext["model"] = undefined;
  rawBody: RequestContext["rawBody"] = undefined;
  body: unknown = undefined;
  usageTap: RequestContext["usageTap"] = undefined;
  inFlight: RequestContext["inFlight"] = undefined;
  responseHeaders: Record<string, string> = {};
  closeConnection = false;

  constructor(
    readonly requestId: string,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly method: string,
    readonly path: string,
    readonly query: string,
    readonly route: RouteDef,
    readonly params: Readonly<Record<string, string>>,
    readonly logger: Logger,
    public bodyAccepted: boolean,
    private readonly exchange: Exchange,
    private readonly onFail: (exchange: Exchange, req: IncomingMessage, res: ServerResponse, err: unknown) => void,
  ) {}

  acceptBody(): void {
    if (this.bodyAccepted) return;
    this.bodyAccepted = true;
    this.res.writeContinue();
  }

  fail(err: unknown): void {
    this.onFail(this.exchange, this.req, this.res, err);
  }
}

/** What the server tracks of one request until its response closes; handed to `onResponse` then. */
export class Exchange implements FinishedRequest {
  routeId = "-";
  status = 0;
  durationMs = 0;
  errorCode: string | undefined = undefined;
  ctx: GatewayRequestContext | undefined = undefined;
  aborted = false;

  constructor(
    readonly requestId: string,
    readonly method: string,
    public path: string,
    readonly started: number,
    readonly expectsContinue: boolean,
  ) {}
}
