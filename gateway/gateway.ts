import type http from "node:http";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Db } from "../lib/db/client";
import { lookupKeyByHash } from "../lib/keys/lookup-key";
import { parseTrustedProxies, type CidrMatcher } from "../lib/policy/ip-rules";
import type { RateLimiter } from "../lib/policy/rate-limiter";
import { createSecurityRecorder, createUsageRecorder, SECURITY_STREAM, USAGE_STREAM } from "../lib/usage/usage-record";
import { createAdaptedForwarder } from "./adapted-forward";
import { ConcurrencyLimiter } from "./concurrency";
import { createForwarder } from "./forward";
import { createInferenceHandlers } from "./inference-handlers";
import { subscribeInvalidations } from "./invalidation";
import { KeyCache, type KeyLookup } from "./key-cache";
import { LastUsedTracker, lastUsedWriter, type LastUsedWriter } from "./last-used";
import { createGatewayMetrics, type GatewayMetrics } from "./metrics";
import { ModelCache, modelLoader, type ModelLoader } from "./model-cache";
import { createResponseObserver } from "./observe";
import { gatewayPipeline } from "./pipeline";
import { enforcerQuotaCheck, recordQuotaTokens, type QuotaCheck } from "./pipeline/quota";
import { createQuotaEnforcer, type QuotaEnforcerOptions } from "../lib/quotas/quota-enforcer";
import { quotaReachedNotifier } from "../lib/quotas/notify-reached";
import type { DependencyCheck } from "./readiness";
import { closeGatewayServer, createGatewayServer, type FinishedRequest } from "./server";
import { UpstreamPools } from "./upstream";

export type GatewayOptions = {
  logger: Logger;
  db: Db;
  /** Usage and security streams. */
  redis: Redis;
  /** A connection of its own for the invalidation channels (it only subscribes). */
  subscriber: Redis;
  limiter: RateLimiter;
  readiness?: readonly DependencyCheck[];
  /** CIDRs whose X-Forwarded-For is believed (TRUSTED_PROXIES); none by default. */
  trustedProxies?: CidrMatcher | string;
  /** Body size ceiling before authentication; tenants' own limits apply after. */
  maxBodyBytes?: number;
  upstreamConnections?: number;
  keyCacheTtlMs?: number;
  modelCacheTtlMs?: number;
  metrics?: GatewayMetrics;
  quota?: QuotaCheck;
  /** Quota enforcement (lib/quotas): clock, lease size, sync interval, and where "quota reached" goes. */
  quotaOptions?: QuotaEnforcerOptions;
  /** Replace the Postgres lookups (tests prove which paths never reach them). */
  lookupKey?: KeyLookup;
  loadModels?: ModelLoader;
  writeLastUsed?: LastUsedWriter;
};

export type Gateway = {
  server: http.Server;
  metrics: GatewayMetrics;
  keys: KeyCache;
  models: ModelCache;
  /** Resolves once the invalidation channels are subscribed. */
  subscribed: Promise<void>;
  /** Flushes usage, security records and last-used times (tests; close() does it too). */
  flush(): Promise<void>;
  /** Drains the server, then flushes and stops everything it started (not the connections it was given). */
  close(drainTimeoutMs?: number): Promise<{ forced: boolean }>;
};

const REDIS_LOG_INTERVAL_MS = 10_000;

/** After the usual observer: tokens of a successful response count against the tenant's quota. */
function observeWithQuotas(observe: (done: FinishedRequest) => void, charge: (ctx: FinishedRequest["ctx"]) => void) {
  return (done: FinishedRequest) => {
    observe(done);
    if (done.errorCode === undefined) charge(done.ctx);
  };
}

/** The data-plane gateway: caches, pipeline, forwarder and recorders around one HTTP server. */
export function createGateway(opts: GatewayOptions): Gateway {
  const { logger, db } = opts;
  const metrics = opts.metrics ?? createGatewayMetrics();
  const keys = new KeyCache({
    lookup: opts.lookupKey ?? ((hash) => lookupKeyByHash(hash, db)),
    ttlMs: opts.keyCacheTtlMs,
    onOutcome: metrics.countKeyCache,
  });
  const models = new ModelCache(opts.loadModels ?? modelLoader(db), {
    ttlMs: opts.modelCacheTtlMs,
    onOutcome: metrics.countModelCache,
  });
  const subscription = subscribeInvalidations(opts.subscriber, { keys, models }, logger);

  let lastRedisLog = 0;
  const logStreamError = (stream: string) => (err: Error, buffered: number) => {
    const now = Date.now();
    if (now - lastRedisLog < REDIS_LOG_INTERVAL_MS) return;
    lastRedisLog = now;
    logger.warn({ stream, buffered, err: { message: err.message } }, "records not written to Redis yet; kept and retried");
  };
  const usage = createUsageRecorder(opts.redis, { onError: logStreamError(USAGE_STREAM) });
  const security = createSecurityRecorder(opts.redis, { onError: logStreamError(SECURITY_STREAM) });
  metrics.setStreamStats(() => ({ [USAGE_STREAM]: usage.stats(), [SECURITY_STREAM]: security.stats() }));
  const lastUsed = new LastUsedTracker(opts.writeLastUsed ?? lastUsedWriter(db), logger);
  const quotaNotifier = opts.quotaOptions?.onReached ? null : quotaReachedNotifier(opts.redis, logger);
  const quotas = createQuotaEnforcer(opts.redis, {
    onReached: quotaNotifier?.notify,
    onSyncError: (err) => logStreamError("quota")(err, 0),
    ...opts.quotaOptions,
  });

  let lastLimiterLog = 0;
  const trustedProxies =
    typeof opts.trustedProxies === "string" ? parseTrustedProxies(opts.trustedProxies) : (opts.trustedProxies ?? parseTrustedProxies(""));
  const stages = gatewayPipeline({
    keys,
    models,
    limiter: opts.limiter,
    trustedProxies,
    maxBodyBytes: opts.maxBodyBytes ?? 64 * 1024 * 1024,
    quota: opts.quota ?? enforcerQuotaCheck(quotas, ({ tenantId, mode }) => metrics.redisUnavailable.inc({ tenant: tenantId, mode })),
    onRedisFailure: ({ tenantId, mode, err }) => {
      metrics.redisUnavailable.inc({ tenant: tenantId, mode });
      const now = Date.now();
      if (now - lastLimiterLog < REDIS_LOG_INTERVAL_MS) return;
      lastLimiterLog = now;
      logger.warn(
        { tenant_id: tenantId, redis_failure_mode: mode, err: { message: err.message } },
        mode === "open" ? "Redis unavailable: admitting without rate limits (fail-open)" : "Redis unavailable: refusing requests (fail-closed)",
      );
    },
  });

  const pools = new UpstreamPools({ connections: opts.upstreamConnections ?? 128 });
  const forwarderDeps = {
    pools,
    concurrency: new ConcurrencyLimiter(),
    onUpstreamError: (tenant: string, kind: string) => metrics.upstreamErrors.inc({ tenant, kind }),
  };
  const forward = createForwarder(forwarderDeps);
  const forwardAdapted = createAdaptedForwarder(forwarderDeps);
  const server = createGatewayServer({
    logger,
    readiness: opts.readiness ?? [],
    stages,
    handlers: createInferenceHandlers({ forward, forwardAdapted, models, pools }),
    onResponse: observeWithQuotas(createResponseObserver({ metrics, usage, security, lastUsed }), (ctx) => recordQuotaTokens(quotas, ctx)),
  });

  const flush = async () => {
    await Promise.all([usage.flush(), security.flush(), lastUsed.flush(), quotas.flush()]);
  };

  return {
    server,
    metrics,
    keys,
    models,
    subscribed: subscription.ready,
    flush,
    async close(drainTimeoutMs = 5_000) {
      const result = server.listening ? await closeGatewayServer(server, drainTimeoutMs) : { forced: false };
      await subscription.close();
      await Promise.all([usage.close(), security.close(), lastUsed.close(), pools.close(), quotas.close()]);
      await quotaNotifier?.close();
      return result;
    },
  };
}
