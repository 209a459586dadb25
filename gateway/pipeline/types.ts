import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { KeyRecord } from "../../lib/keys/lookup-key";
import type { CidrMatcher } from "../../lib/policy/ip-rules";
import type { RouteDef } from "../router";

/** Who an accepted API key belongs to. */
export type ApiKeyPrincipal = { tenantId: string; keyId: string; scopes: string[] };

/** A key record as the gateway caches it: with its allow-lists compiled once. */
export type ResolvedKey = {
  record: KeyRecord;
  keyIps: CidrMatcher;
  tenantIps: CidrMatcher;
};

/** Finds the key whose secret has this SHA-256; null when there is none. */
export type KeyResolver = { resolve(hash: Buffer): Promise<ResolvedKey | null> };

/** One model a tenant may call, as the gateway routes to it. */
export type ModelRoute = {
  id: string;
  name: string;
  protocol: "openai" | "kserve-v2";
  /** openai: the base URL `/chat/completions` etc. are appended to; kserve-v2: the server root. */
  backendUrl: string;
  timeoutMs: number;
  maxConcurrency: number;
  /** Registration time, epoch seconds (OpenAI's `created`). */
  created: number;
};

export type TokenUsage = { promptTokens?: number; completionTokens?: number; totalTokens?: number };

/** One request as it moves through the stages. Stages add to it; none replaces it. */
export type RequestContext = {
  readonly requestId: string;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly route: RouteDef;
  readonly params: Readonly<Record<string, string>>;
  readonly logger: Logger;
  /**
   * Set by `authenticate` as soon as the presented key is known, before it
   * is judged: a denial of a revoked key still has a tenant (security log).
   */
  key?: ResolvedKey;
  /** Set by `authenticate` once the key is accepted. */
  principal?: ApiKeyPrincipal;
  /** Set by `client-ip`: the client's address as judged (null: undeterminable). */
  clientIp?: string | null;
  /** The model the request names (path or body), once known. */
  modelName?: string;
  /** Set by `model-access`: the model the request is allowed to reach. */
  model?: ModelRoute;
  /** Set by `read-body`: the raw bytes and the parsed JSON body of a POST. */
  rawBody?: Buffer;
  body?: unknown;
  /** Filled by the forwarder; read after the response ended (never delays it). */
  tokenUsage?: () => TokenUsage | undefined;
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
