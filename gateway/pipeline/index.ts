import type { CidrMatcher } from "../../lib/policy/ip-rules";
import type { RateLimiter } from "../../lib/policy/rate-limiter";
import type { ModelCache } from "../model-cache";
import { authenticateStage, denyAllApiKeys, queryCredentialStage } from "./authenticate";
import { DEFAULT_MAX_BODY_BYTES, declaredSizeStage } from "./body-limit";
import { clientAddressStage, ipAllowlistStage } from "./client-ip";
import { contentTypeStage } from "./content-type";
import { bodyModelStage, pathModelStage } from "./model-access";
import { quotaStage, type QuotaCheck } from "./quota";
import { rateLimitStage, type RedisFailureEvent } from "./rate-limit";
import { inputFilterStage, readBodyStage, tenantBodyLimit } from "./read-body";
import { scopeStage } from "./scope";
import type { KeyResolver, Stage } from "./types";

export type PipelineOptions = { maxBodyBytes?: number; apiKeys?: KeyResolver };

/** Route limits and authentication only: every key is checked, none can pass (skeleton, tests). */
export function defaultPipeline(opts: PipelineOptions = {}): Stage[] {
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return [
    contentTypeStage,
    declaredSizeStage(maxBodyBytes),
    queryCredentialStage,
    authenticateStage(opts.apiKeys ?? denyAllApiKeys),
    readBodyStage(maxBodyBytes),
  ];
}

export type GatewayPipelineOptions = {
  keys: KeyResolver;
  models: ModelCache;
  limiter: RateLimiter;
  trustedProxies: CidrMatcher;
  /** Ceiling checked on Content-Length before authentication; each tenant's own limit applies after. */
  maxBodyBytes: number;
  maxJsonDepth?: number;
  quota?: QuotaCheck;
  onRedisFailure?: (e: RedisFailureEvent) => void;
};

/**
 * Every stage of an inference request, cheapest rejection first (route
 * matching comes before, in the server). The model named in an OpenAI body is
 * checked only once the body is read, after rate limits; a KServe model
 * (named in the path) is checked before them.
 */
export function gatewayPipeline(opts: GatewayPipelineOptions): Stage[] {
  return [
    contentTypeStage,
    declaredSizeStage(opts.maxBodyBytes),
    queryCredentialStage,
    clientAddressStage(opts.trustedProxies),
    authenticateStage(opts.keys),
    ipAllowlistStage,
    scopeStage,
    pathModelStage(opts.models),
    rateLimitStage(opts.limiter, opts.onRedisFailure),
    quotaStage(opts.quota),
    readBodyStage(tenantBodyLimit(opts.maxBodyBytes), opts.maxJsonDepth),
    inputFilterStage,
    bodyModelStage(opts.models),
  ];
}

export type { ApiKeyPrincipal, KeyResolver, RequestContext, ResolvedKey, ModelEntry, ModelRoute, Stage } from "./types";
