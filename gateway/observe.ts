import type { SecurityRecordInput, StreamBatcher, UsageRecordInput } from "../lib/usage/usage-record";
import type { LastUsedTracker } from "./last-used";
import type { GatewayMetrics } from "./metrics";
import type { FinishedRequest } from "./server";

/** Failures of the backend, not decisions about the client: usage, not the security log. */
const UPSTREAM_FAILURES = new Set(["bad_gateway", "gateway_timeout", "internal_error"]);

export type ObserverDeps = {
  metrics: GatewayMetrics;
  usage: StreamBatcher<UsageRecordInput>;
  security: StreamBatcher<SecurityRecordInput>;
  lastUsed: LastUsedTracker;
};

/**
 * What happens after every response, off its path: metrics; for an accepted
 * key, a usage record (tokens read from the response the client already has)
 * and a last-used touch; for a denial of a request whose tenant is known (a
 * revoked key, a foreign IP, a missing scope, a rate limit...), a security
 * record. Denials before a key is known have no tenant to file them under.
 */
export function createResponseObserver(deps: ObserverDeps): (done: FinishedRequest) => void {
  return (done) => {
    const { ctx } = done;
    const record = ctx?.key?.record;
    deps.metrics.countRequest(record?.tenantId ?? "none", done.routeId, done.status, done.durationMs / 1000);
    if (!ctx || !record) return;
    const at = Date.now();
    const denied = done.errorCode !== undefined && !UPSTREAM_FAILURES.has(done.errorCode);
    if (denied) {
      deps.security.push({
        tenantId: record.tenantId,
        requestId: done.requestId,
        keyId: record.keyId,
        code: done.errorCode!,
        status: done.status,
        method: done.method,
        path: done.path,
        clientIp: ctx.clientIp ?? undefined,
        model: ctx.modelName,
        at,
      });
      return;
    }
    if (!ctx.principal) return;
    deps.lastUsed.touch(record.tenantId, record.keyId);
    const tokens = ctx.usageTap?.usage();
    deps.usage.push({
      tenantId: record.tenantId,
      keyId: record.keyId,
      requestId: done.requestId,
      route: done.routeId,
      model: ctx.model?.name ?? ctx.modelName,
      status: done.status,
      latencyMs: done.durationMs,
      promptTokens: tokens?.promptTokens,
      completionTokens: tokens?.completionTokens,
      totalTokens: tokens?.totalTokens,
      at,
    });
  };
}
