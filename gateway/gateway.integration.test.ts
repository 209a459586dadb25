import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeApiKey } from "../lib/keys/revoke-key";
import { publishModelInvalidation } from "../lib/models/model-invalidation";
import { closeSharedRedis } from "../lib/redis/shared";
import { fromStreamFields, USAGE_STREAM, usageRecord } from "../lib/usage/usage-record";
import { createAdminServer } from "./admin-server";
import {
  addModel,
  call,
  chatBody,
  closeFixture,
  listen,
  newKey,
  newTenant,
  openFixture,
  startGateway,
  type Fixture,
  type RunningGateway,
} from "./test-support";

describe("gateway: inference through the whole pipeline", () => {
  let f: Fixture;
  let gw: RunningGateway;
  let tenant: string;
  let key: { secret: string; keyId: string };

  beforeAll(async () => {
    f = await openFixture();
    gw = await startGateway(f.db);
    tenant = await newTenant(f.su, "gw-main");
    await addModel(f.db, tenant, { name: "echo", backendUrl: `${f.echo.url}/v1` });
    await addModel(f.db, tenant, { name: "echo-kserve", protocol: "kserve-v2", backendUrl: f.echo.url });
    await addModel(f.db, tenant, { name: "hidden", backendUrl: `${f.echo.url}/v1`, enabled: false });
    key = await newKey(f.db, tenant);
  });

  afterAll(async () => {
    await gw.close();
    await closeSharedRedis();
    await closeFixture(f);
  });

  const client = (apiKey: string, url = gw.url) => new OpenAI({ apiKey, baseURL: `${url}/v1`, maxRetries: 0 });

  it("the official openai client completes a chat and an embedding", async () => {
    const openai = client(key.secret);
    const chat = await openai.chat.completions.create({ model: "echo", messages: [{ role: "user", content: "ping through the gateway" }] });
    expect(chat.choices[0]!.message.content).toBe("ping through the gateway");
    expect(chat.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 4, total_tokens: 8 });

    const emb = await openai.embeddings.create({ model: "echo", input: ["a b", "c"] });
    expect(emb.data).toHaveLength(2);
    expect(emb.data[0]!.embedding).toHaveLength(16);
    const again = await openai.embeddings.create({ model: "echo", input: "a b" });
    expect(again.data[0]!.embedding).toEqual(emb.data[0]!.embedding);
  });

  it("streams a chat completion (SSE) through unchanged", async () => {
    const stream = await client(key.secret).chat.completions.create({
      model: "echo",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "one two three" }],
    });
    let text = "";
    let usage;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe("one two three");
    expect(usage).toMatchObject({ total_tokens: 6 });
  });

  it("the backend gets the request id, never the client's credentials", async () => {
    const before = f.echo.count();
    const res = await call(gw.url, "/v1/chat/completions", { key: key.secret, body: chatBody("echo"), headers: { cookie: "sid=1", "x-request-id": "trace-me-1" } });
    expect(res.status).toBe(200);
    expect(res.headers["x-request-id"]).toBe("trace-me-1");
    expect(f.echo.count()).toBe(before + 1);
    const seen = f.echo.requests.at(-1)!;
    expect(seen.path).toBe("/v1/chat/completions");
    expect(seen.headers["x-request-id"]).toBe("trace-me-1");
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.headers.cookie).toBeUndefined();
    expect(JSON.stringify(seen.headers)).not.toContain(key.secret);
  });

  it("records usage with token counts in the mg:usage stream, and last_used_at", async () => {
    const res = await call(gw.url, "/v1/chat/completions", { key: key.secret, body: chatBody("echo", "count these four"), headers: { "x-request-id": "usage-check-1" } });
    expect(res.status).toBe(200);
    await gw.gw.flush();
    const entries = (await gw.redis.xrevrange(USAGE_STREAM, "+", "-", "COUNT", 50)).map(([, fields]) => fromStreamFields(usageRecord, fields));
    const mine = entries.find((e) => e?.requestId === "usage-check-1");
    expect(mine).toMatchObject({
      tenantId: tenant,
      keyId: key.keyId,
      route: "openai.chat_completions",
      model: "echo",
      status: 200,
      promptTokens: 3,
      completionTokens: 3,
      totalTokens: 6,
    });
    expect(mine!.latencyMs).toBeGreaterThan(0);
    const row = await f.su.query("SELECT last_used_at FROM api_keys WHERE id = $1", [key.keyId]);
    expect(row.rows[0].last_used_at).toBeInstanceOf(Date);
  });

  it("GET /v1/models lists the tenant's enabled OpenAI models the key may use", async () => {
    const res = await call(gw.url, "/v1/models", { key: key.secret });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: "list", data: [{ id: "echo", object: "model", owned_by: "modelgate" }] });
    const models = await client(key.secret).models.list();
    expect(models.data.map((m) => m.id)).toEqual(["echo"]);
  });

  it("KServe v2: infer and model metadata", async () => {
    const infer = await call(gw.url, "/v2/models/echo-kserve/infer", {
      key: key.secret,
      body: { id: "r1", inputs: [{ name: "x", shape: [2], datatype: "FP32", data: [1, 2] }] },
    });
    expect(infer.status).toBe(200);
    expect(infer.body).toEqual({ model_name: "echo-kserve", id: "r1", outputs: [{ name: "x_echo", shape: [2], datatype: "FP32", data: [1, 2] }] });
    // A registry version by its label (model-versions.integration.test.ts has the routing).
    const versioned = await call(gw.url, "/v2/models/echo-kserve/versions/v1/infer", { key: key.secret, body: { inputs: [{ name: "x", shape: [1], datatype: "BYTES", data: ["a"] }] } });
    expect(versioned.body).toMatchObject({ model_name: "echo-kserve", outputs: [{ name: "x_echo", data: ["a"] }] });
    const meta = await call(gw.url, "/v2/models/echo-kserve", { key: key.secret });
    expect(meta.status).toBe(200);
    expect(meta.body).toMatchObject({ name: "echo-kserve", platform: "modelgate-echo", versions: ["1"] });
  });

  it("a model change published on mg:models:invalidate takes effect at once", async () => {
    const other = await newTenant(f.su, "gw-models");
    await addModel(f.db, other, { name: "flip", backendUrl: `${f.echo.url}/v1` });
    const k = await newKey(f.db, other);
    expect((await call(gw.url, "/v1/chat/completions", { key: k.secret, body: chatBody("flip") })).status).toBe(200);
    await f.su.query("UPDATE models SET enabled = false WHERE tenant_id = $1", [other]);
    expect((await call(gw.url, "/v1/chat/completions", { key: k.secret, body: chatBody("flip") })).status).toBe(200); // cached
    await publishModelInvalidation(gw.redis, { tenantId: other });
    const deadline = Date.now() + 1_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await call(gw.url, "/v1/chat/completions", { key: k.secret, body: chatBody("flip") })).status;
    }
    expect(status).toBe(404);
  });

  it("revocation reaches a second gateway instance within 1 s (pub/sub)", async () => {
    const second = await startGateway(f.db);
    try {
      const k = await newKey(f.db, tenant);
      for (const url of [gw.url, second.url]) {
        expect((await call(url, "/v1/chat/completions", { key: k.secret, body: chatBody("echo") })).status).toBe(200);
      }
      expect(gw.gw.keys.size).toBeGreaterThan(0);
      const revokedAt = Date.now();
      await revokeApiKey(tenant, k.keyId, { actor: { type: "system", id: "test" } }, f.db);
      const denied = async (url: string) => {
        for (;;) {
          const res = await call(url, "/v1/chat/completions", { key: k.secret, body: chatBody("echo") });
          if (res.status === 401) return Date.now() - revokedAt;
          if (Date.now() - revokedAt > 2_000) return Infinity;
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      const [a, b] = await Promise.all([denied(gw.url), denied(second.url)]);
      expect(a).toBeLessThan(1_000);
      expect(b).toBeLessThan(1_000);
      await expect(client(k.secret, second.url).chat.completions.create({ model: "echo", messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(
        OpenAI.AuthenticationError,
      );
    } finally {
      await second.close();
    }
  });

  it("serves Prometheus metrics on the admin server", async () => {
    const admin = createAdminServer(gw.gw.metrics.registry);
    const url = await listen(admin);
    try {
      const res = await fetch(`${url}/metrics`);
      const text = await res.text();
      expect(res.status).toBe(200);
      expect(text).toContain(`modelgate_gateway_requests_total{tenant="${tenant}",route="openai.chat_completions",status="200"}`);
      expect(text).toContain("modelgate_gateway_request_duration_seconds_bucket");
      expect(text).toMatch(/modelgate_gateway_key_cache_total\{result="hit"\} [1-9]/);
      expect(text).not.toContain(key.keyId);
    } finally {
      admin.close();
    }
  });
});
