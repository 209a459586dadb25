import { collectDefaultMetrics, Counter, Gauge, Registry, type Metric } from "prom-client";

const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * Counts kept in plain numbers on the request path and added to a prom-client
 * Counter when it is scraped: prom-client hashes and validates the label set
 * on every `inc`, which a per-request counter cannot afford.
 */
type Pending<L extends string> = { labels: Record<L, string>; pending: number };

class DeferredCounts<L extends string> {
  private readonly entries = new Map<string, Pending<L>>();

  constructor(readonly counter: Counter<L>) {}

  /** The tally of the label set `key` stands for (`labels` describes it the first time). */
  get(key: string): Pending<L> | undefined {
    return this.entries.get(key);
  }

  create(key: string, labels: Record<L, string>): Pending<L> {
    const entry = { labels, pending: 0 };
    this.entries.set(key, entry);
    return entry;
  }

  flush(): void {
    for (const entry of this.entries.values()) {
      if (entry.pending === 0) continue;
      this.counter.inc(entry.labels, entry.pending);
      entry.pending = 0;
    }
  }
}

type Series = { labels: Record<string, string>; buckets: Float64Array; sum: number; count: number };
type MetricValue = { labels: Record<string, string | number>; sharedLabels?: Record<string, string>; value: number; metricName?: string };
type MetricData = { name: string; help: string; type: "histogram"; aggregator: "sum"; values: MetricValue[] };

/**
 * A Prometheus histogram with one label, `route`, whose `observe` is a bucket
 * search and three additions (prom-client's costs a label hash, a closure and
 * string-keyed bucket lookups). Registered in the gateway's registry and
 * exposed exactly as a prom-client Histogram is.
 */
export class RouteHistogram {
  readonly type = "histogram";
  readonly aggregator = "sum";
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly upperBounds: readonly number[],
  ) {}

  observe(route: string, seconds: number): void {
    let s = this.series.get(route);
    if (!s) this.series.set(route, (s = { labels: { route }, buckets: new Float64Array(this.upperBounds.length), sum: 0, count: 0 }));
    const bounds = this.upperBounds;
    for (let i = 0; i < bounds.length; i++) {
      if (seconds <= bounds[i]!) {
        s.buckets[i]!++;
        break;
      }
    }
    s.sum += seconds;
    s.count++;
  }

  /** What the registry prints: bucket bound first, then the route (`sharedLabels`), as prom-client does. */
  getForPromString(): Promise<MetricData> {
    const values: MetricValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.upperBounds.length; i++) {
        cumulative += s.buckets[i]!;
        values.push({ labels: { le: this.upperBounds[i]! }, sharedLabels: s.labels, value: cumulative, metricName: bucket });
      }
      values.push({ labels: { le: "+Inf" }, sharedLabels: s.labels, value: s.count, metricName: bucket });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  /** The same values with each one's labels in one object (prom-client's `get()`). */
  async get(): Promise<MetricData> {
    const data = await this.getForPromString();
    data.values = data.values.map(({ labels, sharedLabels, ...rest }) => ({ ...rest, labels: { ...labels, ...sharedLabels } }));
    return data;
  }

  reset(): void {
    this.series.clear();
  }
}

/**
 * The gateway's Prometheus metrics, in a registry of their own (two gateways
 * in one test process do not collide). Labels stay bounded: tenant id (not
 * key id), route id (a fixed set), status code; "none" for requests refused
 * before a key was known. The per-request ones (`countRequest`, the cache
 * outcomes) are counted in plain numbers and handed to prom-client at scrape
 * time.
 */
export function createGatewayMetrics(opts: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: "modelgate_gateway_" });
  const registers = [registry];
  let streamStats: () => Record<string, { buffered: number; dropped: number }> = () => ({});

  const flushers: (() => void)[] = [];
  const deferred = <L extends string>(counter: Counter<L>) => {
    const counts = new DeferredCounts(counter);
    flushers.push(() => counts.flush());
    return counts;
  };
  const collect = () => {
    for (const flush of flushers) flush();
  };

  const requests = new Counter({
    name: "modelgate_gateway_requests_total",
    help: "Requests answered, by tenant, route and HTTP status",
    labelNames: ["tenant", "route", "status"] as const,
    registers,
    collect,
  });
  const duration = new RouteHistogram(
    "modelgate_gateway_request_duration_seconds",
    "Time from request start to the end of the response, by route",
    DURATION_BUCKETS,
  );
  registry.registerMetric(duration as unknown as Metric);
  const keyCache = new Counter({
    name: "modelgate_gateway_key_cache_total",
    help: "API key cache lookups: hit, miss (went to Postgres) or negative_hit (known unknown)",
    labelNames: ["result"] as const,
    registers,
    collect,
  });
  const modelCache = new Counter({
    name: "modelgate_gateway_model_cache_total",
    help: "Model table cache lookups: hit or miss",
    labelNames: ["result"] as const,
    registers,
    collect,
  });
  const requestCounts = deferred(requests);
  const requestTallies = new Map<string, Map<string, Map<number, Pending<"tenant" | "route" | "status">>>>();
  const keyCacheCounts = deferred(keyCache);
  const modelCacheCounts = deferred(modelCache);

  return {
    /** Where the stream gauges read from at scrape time. */
    setStreamStats(fn: typeof streamStats) {
      streamStats = fn;
    },
    registry,
    requests,
    duration,
    keyCache,
    modelCache,
    /** One finished request: `requests` and `duration` (the hot path's only metric call). */
    countRequest(tenant: string, route: string, status: number, seconds: number): void {
      // Nested by label (the same tenant and route strings come back on every request): no key to build.
      let byRoute = requestTallies.get(tenant);
      if (!byRoute) requestTallies.set(tenant, (byRoute = new Map()));
      let byStatus = byRoute.get(route);
      if (!byStatus) byRoute.set(route, (byStatus = new Map()));
      let tally = byStatus.get(status);
      if (!tally) byStatus.set(status, (tally = requestCounts.create(`${tenant} ${route} ${status}`, { tenant, route, status: String(status) })));
      tally.pending++;
      duration.observe(route, seconds);
    },
    countKeyCache(result: "hit" | "miss" | "negative_hit"): void {
      (keyCacheCounts.get(result) ?? keyCacheCounts.create(result, { result })).pending++;
    },
    countModelCache(result: "hit" | "miss"): void {
      (modelCacheCounts.get(result) ?? modelCacheCounts.create(result, { result })).pending++;
    },
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
