import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The gateway's Prometheus metrics, in a registry of their own (two gateways
 * in one test process do not collide). Labels stay bounded: tenant id (not
 * key id), route id (a fixed set), status code; "none" for requests refused
 * before a key was known.
 */
export function createGatewayMetrics(opts: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: "modelgate_gateway_" });
  const registers = [registry];
  let streamStats: () => Record<string, { buffered: number; dropped: number }> = () => ({});
  return {
    /** Where the stream gauges read from at scrape time. */
    setStreamStats(fn: typeof streamStats) {
      streamStats = fn;
    },
    registry,
    requests: new Counter({
      name: "modelgate_gateway_requests_total",
      help: "Requests answered, by tenant, route and HTTP status",
      labelNames: ["tenant", "route", "status"] as const,
      registers,
    }),
    duration: new Histogram({
      name: "modelgate_gateway_request_duration_seconds",
      help: "Time from request start to the end of the response, by route",
      labelNames: ["route"] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    keyCache: new Counter({
      name: "modelgate_gateway_key_cache_total",
      help: "API key cache lookups: hit, miss (went to Postgres) or negative_hit (known unknown)",
      labelNames: ["result"] as const,
      registers,
    }),
    modelCache: new Counter({
      name: "modelgate_gateway_model_cache_total",
      help: "Model table cache lookups: hit or miss",
      labelNames: ["result"] as const,
      registers,
    }),
    upstreamErrors: new Counter({
      name: "modelgate_gateway_upstream_errors_total",
      help: "Upstream failures by tenant and kind: timeout (504), unreachable (502), concurrency (503, tenant at its limit)",
      labelNames: ["tenant", "kind"] as const,
      registers,
    }),
    redisUnavailable: new Counter({
      name: "modelgate_gateway_redis_unavailable_total",
      help: "Requests decided without Redis, by tenant and failure mode (closed: refused 503, open: admitted unlimited)",
      labelNames: ["tenant", "mode"] as const,
      registers,
    }),
    streamBuffered: new Gauge({
      name: "modelgate_gateway_stream_buffered_records",
      help: "Usage and security records waiting to be written to Redis",
      labelNames: ["stream"] as const,
      registers,
      collect() {
        for (const [stream, s] of Object.entries(streamStats())) this.set({ stream }, s.buffered);
      },
    }),
    streamDropped: new Gauge({
      name: "modelgate_gateway_stream_dropped_records",
      help: "Usage and security records dropped because Redis stayed unreachable and the buffer was full",
      labelNames: ["stream"] as const,
      registers,
      collect() {
        for (const [stream, s] of Object.entries(streamStats())) this.set({ stream }, s.dropped);
      },
    }),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
