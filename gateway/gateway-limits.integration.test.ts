import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../lib/db/client";
import { generateApiKey } from "../lib/keys/key-format";
import { createLogger } from "../lib/log/logger";
import type { RateLimiter } from "../lib/policy/rate-limiter";
import { createRedis } from "../lib/redis/connection";
import { createGateway } from "./gateway";
import {
  addModel,
  call,
  chatBody,
  closeFixture,
  DEAD_REDIS_URL,
  listen,
  newKey,
  newTenant,
  openFixture,
  startGateway,
  type Fixture,
  type RunningGateway,
} from "./test-support";

/** Any use of this object fails the test: a stand-in for a dependency that must not be touched. */
function untouchable<T extends object>(name: string, touched: string[]): T {
  return new Proxy({} as T, {
    get(_target, prop) {
      touched.push(`${name}.${String(prop)}`);
      throw new Error(`${name} must not be touched (${String(prop)})`);
    },
  });
}

describe("rate limits", () => {
  let f: Fixture;
  let gw: RunningGateway;
  let tenant: string;

  beforeAll(async () => {
    f = await openFixture();
    gw = await startGateway(f.db);
    tenant = await newTenant(f.su, "limits");
    await addModel(f.db, tenant, { name: "echo", backendUrl: `${f.echo.url}/v1` });
  });

  afterAll(async () => {
    await gw.close();
    await closeFixture(f);
  });

  it("per key: RateLimit headers on every response, then 429 rate_limited with Retry-After; the backend is spared", async () => {
    const k = await newKey(f.db, tenant, { rateLimit: { requests: 2, windowSeconds: 60 } });
    for (let i = 0; i < 2; i++) {
      const ok = await call(gw.url, "/v1/chat/completions", { key: k.secret, body: chatBody("echo") });
      expect(ok.status).toBe(200);
      expect(ok.headers["ratelimit-policy"]).toBe('"key";q=2;w=60');
      expect(ok.headers.ratelimit).toMatch(/^"key";r=\d+;t=\d+$/);
    }
    const before = f.echo.count();
    const denied = await call(gw.url, "/v1/chat/completions", { key: k.secret, body: chatBody("echo") });
    expect({ status: denied.status, code: denied.body.error?.code }).toEqual({ status: 429, code: "rate_limited" });
    expect(Number(denied.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(denied.headers["ratelimit-policy"]).toBe('"key";q=2;w=60');
    expect(denied.headers.ratelimit).toMatch(/^"key";r=0;t=\d+$/);
    expect(f.echo.count()).toBe(before);

    const openai = new OpenAI({ apiKey: k.secret, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    await expect(openai.chat.completions.create({ model: "echo", messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(OpenAI.RateLimitError);
  });

  it("per tenant: every key of the tenant shares its limit; both policies are reported", async () => {
    const capped = await newTenant(f.su, "limits-tenant", { rateLimit: { requests: 3, windowSeconds: 60 } });
    await addModel(f.db, capped, { name: "echo", backendUrl: `${f.echo.url}/v1` });
    const a = await newKey(f.db, capped, { rateLimit: { requests: 100, windowSeconds: 60 } });
    const b = await newKey(f.db, capped);
    const statuses: number[] = [];
    for (const k of [a, b, a, b]) statuses.push((await call(gw.url, "/v1/chat/completions", { key: k.secret, body: chatBody("echo") })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const both = await call(gw.url, "/v1/chat/completions", { key: a.secret, body: chatBody("echo") });
    expect(both.status).toBe(429);
    expect(both.headers["ratelimit-policy"]).toBe('"key";q=100;w=60, "tenant";q=3;w=60');
  });
});

describe("Redis unreachable", () => {
  let f: Fixture;
  let gw: RunningGateway;

  beforeAll(async () => {
    f = await openFixture();
    gw = await startGateway(f.db, { limiterRedisUrl: DEAD_REDIS_URL });
  });

  afterAll(async () => {
    await gw.close();
    await closeFixture(f);
  });

  const limited = { rateLimit: { requests: 100, windowSeconds: 60 } };

  it("fail-closed tenant (the default): 503 service_unavailable, backend not called, counted in metrics", async () => {
    const tenant = await newTenant(f.su, "redis-closed");
    await addModel(f.db, tenant, { name: "echo", backendUrl: `${f.echo.url}/v1` });
    const k = await newKey(f.db, tenant, limited);
    const before = f.echo.count();
    const res = await call(gw.url, "/v1/chat/completions", { key: k.secret, body: chatBody("echo") });
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 503, code: "service_unavailable" });
    expect(res.headers["retry-after"]).toBe("1");
    expect(f.echo.count()).toBe(before);
    const metric = await gw.gw.metrics.redisUnavailable.get();
    expect(metric.values.find((v) => v.labels.tenant === tenant)).toMatchObject({ labels: { mode: "closed" }, value: 1 });
  });

  it("fail-open tenant: admitted without rate limiting, counted in metrics", async () => {
    const tenant = await newTenant(f.su, "redis-open", { redisFailureMode: "open" });
    await addModel(f.db, tenant, { name: "echo", backendUrl: `${f.echo.url}/v1` });
    const k = await newKey(f.db, tenant, limited);
    const res = await call(gw.url, "/v1/chat/completions", { key: k.secret, body: chatBody("echo") });
    expect(res.status).toBe(200);
    expect(res.headers["ratelimit-policy"]).toBeUndefined();
    const metric = await gw.gw.metrics.redisUnavailable.get();
    expect(metric.values.find((v) => v.labels.tenant === tenant)).toMatchObject({ labels: { mode: "open" }, value: 1 });
  });

  it("a gateway whose every Redis connection is down keeps serving and buffers usage", async () => {
    const down = await startGateway(f.db, { redisUrl: DEAD_REDIS_URL });
    try {
      const tenant = await newTenant(f.su, "redis-all-down", { redisFailureMode: "open" });
      await addModel(f.db, tenant, { name: "echo", backendUrl: `${f.echo.url}/v1` });
      const k = await newKey(f.db, tenant, limited);
      for (let i = 0; i < 3; i++) expect((await call(down.url, "/v1/chat/completions", { key: k.secret, body: chatBody("echo") })).status).toBe(200);
      expect((await call(down.url, "/healthz")).status).toBe(200);
      const buffered = await down.gw.metrics.streamBuffered.get();
      expect(buffered.values.find((v) => v.labels.stream === "mg:usage")?.value).toBe(3);
    } finally {
      await down.close();
    }
  });
});

describe("the malformed-key path", () => {
  it("answers 401 without touching the key cache's lookup, Postgres, Redis or the limiter", async () => {
    const touched: string[] = [];
    const logger = createLogger("gateway-test", { level: "silent" });
    const subscriber = createRedis({ connectionName: "mg-gateway-test-sub", logger, forBullmq: true });
    const gw = createGateway({
      logger,
      db: untouchable<Db>("postgres", touched),
      redis: untouchable("redis", touched),
      subscriber,
      limiter: untouchable<RateLimiter>("limiter", touched),
      lookupKey: async () => {
        touched.push("lookupKey");
        throw new Error("no lookup expected");
      },
      loadModels: async () => {
        touched.push("loadModels");
        throw new Error("no model lookup expected");
      },
      writeLastUsed: async () => {
        touched.push("writeLastUsed");
      },
    });
    const url = await listen(gw.server);
    try {
      for (const token of ["mgk_short", `mgk_${"A".repeat(38)}`, "sk-proj-abc", "x".repeat(500)]) {
        const res = await call(url, "/v1/chat/completions", { key: token, body: chatBody("echo") });
        expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 401, code: "invalid_api_key" });
      }
      await gw.flush();
      expect(touched).toEqual([]);
      // The same gateway does look a well-formed key up: the spies are live.
      const res = await call(url, "/v1/chat/completions", { key: generateApiKey().secret, body: chatBody("echo") });
      expect(res.status).toBe(503);
      expect(touched).toEqual(["lookupKey"]);
    } finally {
      await gw.close(1_000);
      subscriber.disconnect();
    }
  });
});
