import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { KeyRecord } from "../../lib/keys/lookup-key";
import type { CidrMatcher, IpAddress } from "../../lib/policy/ip-rules";
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
export type KeyResolver = {
  resolve(hash: Buffer): Promise<ResolvedKey | null>;
  /** Optional synchronous answer from memory for the hash in base64 (undefined: ask `resolve`). */
  peek?(id: string): ResolvedKey | null | undefined;
};

export type ModelProtocol = "openai" | "kserve-v2" | "torchserve" | "tfserving";

/** One version of a model a tenant may call, as the gateway forwards to it. */
export type ModelRoute = {
  /** The version's id: per-tenant concurrency limits count per version. */
  id: string;
  /** The model's name (as clients send it and usage records it). */
  name: string;
  protocol: ModelProtocol;
  /** openai: the base URL `/chat/completions` etc. are appended to; the others: the server root. */
  backendUrl: string;
  timeoutMs: number;
  maxConcurrency: number;
  /** Registration time, epoch seconds (OpenAI's `created`). */
  created: number;
  /** The version's label, when the route comes from the registry. */
  version?: string;
  /** The backend's own credential, decrypted in memory (never logged: see BackendCredential). */
  credential?: { readonly name: string; readonly value: string } | null;
  /** Set when the version cannot be called safely (credential does not open, address refused): a 502. */
  unusable?: string;
};

/** A model of the routing table: where its traffic goes (default version, optional canary share), and each version by label. */
export type ModelEntry = {
  id: string;
  name: string;
  protocol: ModelProtocol;
  created: number;
  primary: ModelRoute;
  canary: { route: ModelRoute; percent: number } | null;
  /** Every version by its registry label (`primary` and the canary among them): KServe `/versions/{v}` picks one. */
  versions: ReadonlyMap<string, ModelRoute>;
};

export type TokenUsage = { promptTokens?: number; completionTokens?: number; totalTokens?: number };

/** One request as it moves through the stages. Stages add to it; none replaces it. */
export type RequestContext = {
  readonly requestId: string;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  readonly path: string;
  /** The raw query string, without `?` ("" when there is none). */
  readonly query: string;
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
  /** The same address, parsed (for the allow-lists). */
  clientAddress?: IpAddress | null;
  /** The model the request names (path or body), once known. */
  modelName?: string;
  /** Set by `model-access`: the model the request is allowed to reach. */
  model?: ModelRoute;
  /** Set by `read-body`: the raw bytes and the parsed JSON body of a POST. */
  rawBody?: Buffer;
  body?: unknown;
  /** Set by the forwarder; read after the response ended (never delays it). */
  usageTap?: { usage(): TokenUsage | undefined };
  /** Set by the forwarder while an upstream exchange is open: told when the client goes away first. */
  inFlight?: { clientGone(): void };
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
  /** False while a client that sent `Expect: 100-continue` has not been told to send its body. */
  readonly bodyAccepted: boolean;
  /**
   * Answers `err` as the JSON error (or cuts the response when it has
   * started), for a handler that returned `handled` before knowing how its
   * request ends: the forwarder, when the backend fails before answering.
   * Saves such a handler a promise per request.
   */
  fail(err: unknown): void;
};

/**
 * One step of the request pipeline. A stage denies by throwing an AppError
 * (the server turns it into the JSON error); it passes by returning. A stage
 * that can decide at once returns nothing (the server then goes straight on,
 * without a promise or a microtask); only one that has to wait returns a
 * promise. `appliesTo` is asked once per route, when the server starts
 * routing to it, not per request.
 */
export type Stage = {
  name: string;
  appliesTo(route: RouteDef): boolean;
  run(ctx: RequestContext): void | Promise<void>;
};
