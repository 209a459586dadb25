import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";
import type { RouteDef } from "../router";

/** Who an accepted API key belongs to (filled by the keys feature). */
export type ApiKeyPrincipal = { tenantId: string; keyId: string; scopes: string[] };

/** Looks up a presented key; null means "no such valid key" (401 invalid_api_key). */
export type ApiKeyVerifier = (token: string, ctx: RequestContext) => Promise<ApiKeyPrincipal | null>;

/** One request as it moves through the stages. Stages add to it; none replaces it. */
export type RequestContext = {
  readonly requestId: string;
  readonly req: IncomingMessage;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly route: RouteDef;
  readonly params: Readonly<Record<string, string>>;
  readonly logger: Logger;
  /** Set by `authenticate` once a key is accepted. */
  principal?: ApiKeyPrincipal;
  /** Set by `read-body`: the parsed JSON body of a POST. */
  body?: unknown;
  /** Headers for whatever response follows, denial or not (e.g. RateLimit-*). */
  responseHeaders: Record<string, string>;
  /** Close the connection after the response (an unread body we refuse to drain). */
  closeConnection: boolean;
  /**
   * Lets a client that sent `Expect: 100-continue` start sending its body (a
   * no-op otherwise). Called by `read-body` only: every stage before it can
   * deny the request before a single body byte is sent.
   */
  acceptBody(): void;
};

/**
 * One step of the request pipeline. A stage denies by throwing an AppError
 * (the server turns it into the JSON error); it passes by returning.
 */
export type Stage = {
  name: string;
  appliesTo(route: RouteDef): boolean;
  run(ctx: RequestContext): void | Promise<void>;
};
