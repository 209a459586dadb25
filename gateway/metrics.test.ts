import { Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createGatewayMetrics } from "./metrics";

describe("gateway metrics", () => {
  it("the request histogram is exposed exactly as a prom-client Histogram would be", async () => {
    const metrics = createGatewayMetrics();
    const reference = new Registry();
    const histogram = new Histogram({
      name: "modelgate_gateway_request_duration_seconds",
      help: "Time from request start to the end of the response, by route",
      labelNames: ["route"] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [reference],
    });
    for (const [route, seconds] of [
      ["openai.chat_completions", 0.0004],
      ["openai.chat_completions", 0.003],
      ["openai.chat_completions", 0.003],
      ["healthz", 0.0001],
      ["openai.chat_completions", 100],
    ] as const) {
      metrics.countRequest("none", route, 200, seconds);
      histogram.observe({ route }, seconds);
    }
    const ours = await metrics.registry.getSingleMetricAsString("modelgate_gateway_request_duration_seconds");
    expect(ours).toBe(await reference.getSingleMetricAsString("modelgate_gateway_request_duration_seconds"));
    expect(ours).toContain('modelgate_gateway_request_duration_seconds_bucket{le="0.0025",route="openai.chat_completions"} 1');
  });

  it("per-request counters reach prom-client when scraped", async () => {
    const metrics = createGatewayMetrics();
    metrics.countRequest("t1", "openai.embeddings", 200, 0.01);
    metrics.countRequest("t1", "openai.embeddings", 200, 0.01);
    metrics.countRequest("none", "openai.embeddings", 401, 0.001);
    metrics.countKeyCache("hit");
    metrics.countKeyCache("miss");
    metrics.countKeyCache("hit");
    metrics.countModelCache("hit");
    const requests = await metrics.requests.get();
    expect(requests.values).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ labels: { tenant: "t1", route: "openai.embeddings", status: "200" }, value: 2 }),
        expect.objectContaining({ labels: { tenant: "none", route: "openai.embeddings", status: "401" }, value: 1 }),
      ]),
    );
    const text = await metrics.registry.metrics();
    expect(text).toContain('modelgate_gateway_key_cache_total{result="hit"} 2');
    expect(text).toContain('modelgate_gateway_key_cache_total{result="miss"} 1');
    expect(text).toContain('modelgate_gateway_model_cache_total{result="hit"} 1');
    metrics.countKeyCache("hit");
    expect(await metrics.registry.metrics()).toContain('modelgate_gateway_key_cache_total{result="hit"} 3');
  });
});
