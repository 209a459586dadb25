import { Readable } from "node:stream";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey } from "../lib/keys/key-format";
import { revokeApiKey } from "../lib/keys/revoke-key";
import { rotateApiKey } from "../lib/keys/rotate-key";
import { closeSharedRedis } from "../lib/redis/shared";
import { fromStreamFields, SECURITY_STREAM, securityRecord } from "../lib/usage/usage-record";
import {
  addModel,
  call,
  chatBody,
  closeFixture,
  newKey,
  newTenant,
  openFixture,
  startGateway,
  type Fixture,
  type Reply,
  type RunningGateway,
} from "./test-support";

/**
 * Every way the gateway refuses a request: status, stable code, request id,
 * and the backend never sees the request.
 */
describe("gateway denials", () => {
  let f: Fixture;
  let gw: RunningGateway;
  let tenant: string;
  let other: string;
  let key: { secret: string; keyId: string };
  const system = { actor: { type: "system" as const, id: "test" } };

  beforeAll(async () => {
    f = await openFixture();
    // 127.0.0.2 plays a trusted reverse proxy; 127.0.0.1 and 127.0.0.3 are ordinary clients.
    gw = await startGateway(f.db, { trustedProxies: "127.0.0.2/32" });
    tenant = await newTenant(f.su, "deny");
    other = await newTenant(f.su, "deny-other");
    await addModel(f.db, tenant, { name: "echo", backendUrl: `${f.echo.url}/v1` });
    await addModel(f.db, tenant, { name: "echo-2", backendUrl: `${f.echo.url}/v1` });
    await addModel(f.db, tenant, { name: "off", backendUrl: `${f.echo.url}/v1`, enabled: false });
    await addModel(f.db, tenant, { name: "kserve-only", protocol: "kserve-v2", backendUrl: f.echo.url });
    await addModel(f.db, tenant, { name: "down", backendUrl: "http://127.0.0.1:1/v1" });
    await addModel(f.db, tenant, { name: "slow", backendUrl: `${f.echo.url}/v1`, timeoutMs: 300 });
    await addModel(f.db, tenant, { name: "single", backendUrl: `${f.echo.url}/v1`, maxConcurrency: 1 });
    await addModel(f.db, other, { name: "b-secret", backendUrl: `${f.echo.url}/v1` });
    key = await newKey(f.db, tenant);
  });

  afterAll(async () => {
    await gw.close();
    await closeSharedRedis();
    await closeFixture(f);
  });

  /** Runs `attempt`, then checks the denial and that the backend got nothing. */
  async function expectDenied(attempt: () => Promise<Reply>, status: number, code: string, message?: RegExp): Promise<Reply> {
    const before = f.echo.count();
    const res = await attempt();
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status, code });
    expect(res.body.error!.request_id).toBe(res.headers["x-request-id"]);
    if (message) expect(res.body.error!.message).toMatch(message);
    expect(f.echo.count(), "the backend must not be called").toBe(before);
    return res;
  }

  const chat = (secret: string, model = "echo", extra: Parameters<typeof call>[2] = {}) =>
    call(gw.url, "/v1/chat/completions", { key: secret, body: chatBody(model), ...extra });

  it("a valid key passes (the baseline the denials differ from)", async () => {
    const before = f.echo.count();
    expect((await chat(key.secret)).status).toBe(200);
    expect(f.echo.count()).toBe(before + 1);
  });

  it("no key, or a non-Bearer scheme: 401 unauthorized", async () => {
    await expectDenied(() => call(gw.url, "/v1/chat/completions", { body: chatBody("echo") }), 401, "unauthorized");
    await expectDenied(() => call(gw.url, "/v1/chat/completions", { body: chatBody("echo"), headers: { authorization: `Basic ${key.secret}` } }), 401, "unauthorized");
  });

  it("a key in the query string: 400", async () => {
    await expectDenied(() => call(gw.url, `/v1/chat/completions?api_key=${key.secret}`, { key: key.secret, body: chatBody("echo") }), 400, "bad_request");
  });

  it("malformed key (bad checksum, wrong shape): 401 invalid_api_key", async () => {
    const typo = key.secret.slice(0, -1) + (key.secret.endsWith("A") ? "B" : "A");
    await expectDenied(() => chat(typo), 401, "invalid_api_key");
    await expectDenied(() => chat("sk-not-a-modelgate-key"), 401, "invalid_api_key");
  });

  it("well-formed but unknown key: 401 invalid_api_key", async () => {
    await expectDenied(() => chat(generateApiKey().secret), 401, "invalid_api_key");
  });

  it("revoked key: 401, and the denial is filed in the tenant's security log", async () => {
    const k = await newKey(f.db, tenant);
    await revokeApiKey(tenant, k.keyId, system, f.db);
    const res = await expectDenied(() => chat(k.secret), 401, "invalid_api_key");
    await gw.gw.flush();
    const entries = (await gw.redis.xrevrange(SECURITY_STREAM, "+", "-", "COUNT", 100)).map(([, fields]) => fromStreamFields(securityRecord, fields));
    expect(entries.find((e) => e?.requestId === res.headers["x-request-id"])).toMatchObject({
      tenantId: tenant,
      keyId: k.keyId,
      code: "invalid_api_key",
      status: 401,
      method: "POST",
      path: "/v1/chat/completions",
      clientIp: "127.0.0.1",
    });
  });

  it("expired key: 401", async () => {
    const k = await newKey(f.db, tenant);
    await f.su.query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [k.keyId]);
    await expectDenied(() => chat(k.secret), 401, "invalid_api_key");
  });

  it("rotated-out key after its grace: 401; its successor works", async () => {
    const k = await newKey(f.db, tenant);
    const rotated = await rotateApiKey(tenant, k.keyId, { graceSeconds: 0 }, system, f.db);
    await expectDenied(() => chat(k.secret), 401, "invalid_api_key");
    expect((await chat(rotated.secret)).status).toBe(200);
  });

  it("suspended tenant: 403 tenant_suspended", async () => {
    const suspended = await newTenant(f.su, "deny-susp");
    await addModel(f.db, suspended, { name: "echo", backendUrl: `${f.echo.url}/v1` });
    const k = await newKey(f.db, suspended);
    await f.su.query("UPDATE tenants SET status = 'suspended', suspended_at = now() WHERE id = $1", [suspended]);
    await expectDenied(() => chat(k.secret), 403, "tenant_suspended");
  });

  it("client IP outside the key's allow-list: 403 ip_not_allowed; inside: 200", async () => {
    const k = await newKey(f.db, tenant, { ips: ["127.0.0.3/32"] });
    await expectDenied(() => chat(k.secret), 403, "ip_not_allowed", /127\.0\.0\.1/);
    expect((await chat(k.secret, "echo", { from: "127.0.0.3" })).status).toBe(200);
  });

  it("client IP outside the tenant's allow-list: 403 even when the key allows it", async () => {
    const fenced = await newTenant(f.su, "deny-fenced", { ipAllowlist: ["127.0.0.3/32"] });
    await addModel(f.db, fenced, { name: "echo", backendUrl: `${f.echo.url}/v1` });
    const k = await newKey(f.db, fenced, { ips: ["127.0.0.0/8"] });
    await expectDenied(() => chat(k.secret), 403, "ip_not_allowed");
    expect((await chat(k.secret, "echo", { from: "127.0.0.3" })).status).toBe(200);
  });

  it("X-Forwarded-For from an untrusted peer is ignored", async () => {
    const k = await newKey(f.db, tenant, { ips: ["203.0.113.9/32"] });
    await expectDenied(() => chat(k.secret, "echo", { headers: { "x-forwarded-for": "203.0.113.9" } }), 403, "ip_not_allowed");
  });

  it("X-Forwarded-For from a trusted proxy is honoured (right-most untrusted hop)", async () => {
    const k = await newKey(f.db, tenant, { ips: ["203.0.113.9/32"] });
    const via = (xff: string) => chat(k.secret, "echo", { from: "127.0.0.2", headers: { "x-forwarded-for": xff } });
    expect((await via("203.0.113.9")).status).toBe(200);
    // A client-supplied hop left of the real one changes nothing.
    expect((await via("203.0.113.9, 203.0.113.9")).status).toBe(200);
    await expectDenied(() => via("203.0.113.9, 198.51.100.1"), 403, "ip_not_allowed", /198\.51\.100\.1/);
  });

  it("missing scope: 403 forbidden (inference for POST, models:read for model listing)", async () => {
    const readOnly = await newKey(f.db, tenant, { scopes: ["models:read"] });
    await expectDenied(() => chat(readOnly.secret), 403, "forbidden", /"inference" scope/);
    const inferOnly = await newKey(f.db, tenant, { scopes: ["inference"] });
    await expectDenied(() => call(gw.url, "/v1/models", { key: inferOnly.secret }), 403, "forbidden", /"models:read" scope/);
    await expectDenied(() => call(gw.url, "/v2/models/kserve-only", { key: inferOnly.secret }), 403, "forbidden");
  });

  it("unknown, disabled, other-protocol and other-tenant models: the same 404 model_not_found", async () => {
    const unknown = await expectDenied(() => chat(key.secret, "nope"), 404, "model_not_found");
    await expectDenied(() => chat(key.secret, "off"), 404, "model_not_found");
    await expectDenied(() => chat(key.secret, "kserve-only"), 404, "model_not_found");
    const foreign = await expectDenied(() => chat(key.secret, "b-secret"), 404, "model_not_found");
    expect(foreign.body.error!.message.replace("b-secret", "X")).toBe(unknown.body.error!.message.replace("nope", "X"));
    await expectDenied(() => call(gw.url, "/v2/models/b-secret/infer", { key: key.secret, body: { inputs: [{ name: "x", shape: [1], datatype: "FP32", data: [1] }] } }), 404, "model_not_found");
    await expectDenied(() => call(gw.url, "/v2/models/b-secret", { key: key.secret }), 404, "model_not_found");
  });

  it("model outside the key's allow-list: 404", async () => {
    const k = await newKey(f.db, tenant, { models: ["echo"] });
    expect((await chat(k.secret, "echo")).status).toBe(200);
    await expectDenied(() => chat(k.secret, "echo-2"), 404, "model_not_found");
    const listed = await call(gw.url, "/v1/models", { key: k.secret });
    expect((listed.body.data as { id: string }[]).map((m) => m.id)).toEqual(["echo"]);
  });

  it("body larger than the tenant's limit: 413, even without Content-Length", async () => {
    const small = await newTenant(f.su, "deny-small", { maxBodyBytes: 2048 });
    await addModel(f.db, small, { name: "echo", backendUrl: `${f.echo.url}/v1` });
    const k = await newKey(f.db, small);
    const big = chatBody("echo", "x".repeat(4096));
    await expectDenied(() => chat(k.secret, "echo", { body: big }), 413, "payload_too_large");
    const chunked = async () => {
      async function* parts() {
        const text = JSON.stringify(big);
        for (let i = 0; i < text.length; i += 512) yield Buffer.from(text.slice(i, i + 512));
      }
      const res = await request(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${k.secret}` },
        body: Readable.from(parts()),
      });
      return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as Reply["body"] };
    };
    const res = await expectDenied(chunked, 413, "payload_too_large");
    expect(res.headers.connection).toBe("close");
    expect((await chat(k.secret, "echo")).status).toBe(200);
  });

  it("JSON nested deeper than 32 levels: 400", async () => {
    const deep = `{"model":"echo","messages":[{"role":"user","content":"x"}],"x":${"[".repeat(40)}${"]".repeat(40)}}`;
    await expectDenied(() => call(gw.url, "/v1/chat/completions", { key: key.secret, raw: deep }), 400, "bad_request", /deeper than 32/);
  });

  it("a body that is not the protocol's shape: 400 validation_failed naming the field", async () => {
    const res = await expectDenied(() => call(gw.url, "/v1/chat/completions", { key: key.secret, body: { model: "echo", messages: "hi" } }), 400, "validation_failed", /messages/);
    expect(res.body.error).toHaveProperty("fields.messages");
    await expectDenied(() => call(gw.url, "/v1/embeddings", { key: key.secret, body: { model: "echo" } }), 400, "validation_failed", /input/);
    await expectDenied(() => call(gw.url, "/v1/completions", { key: key.secret, body: { prompt: "x" } }), 400, "validation_failed", /model/);
    await expectDenied(() => call(gw.url, "/v2/models/kserve-only/infer", { key: key.secret, body: { inputs: [] } }), 400, "validation_failed", /inputs/);
  });

  it("backend down: 502 bad_gateway", async () => {
    await expectDenied(() => chat(key.secret, "down"), 502, "bad_gateway");
  });

  it("backend slower than the model's timeout: 504 gateway_timeout", async () => {
    const before = f.echo.count();
    const res = await chat(key.secret, "slow", { headers: { "x-echo-delay-ms": "2000" } });
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 504, code: "gateway_timeout" });
    expect(f.echo.count()).toBe(before + 1); // it was asked, and did not answer in time
  });

  it("a tenant at its model's concurrency limit: 503 with Retry-After; the backend sees only the first", async () => {
    const before = f.echo.count();
    const first = chat(key.secret, "single", { headers: { "x-echo-delay-ms": "400" } });
    await new Promise((r) => setTimeout(r, 100));
    const second = await chat(key.secret, "single");
    expect({ status: second.status, code: second.body.error?.code }).toEqual({ status: 503, code: "service_unavailable" });
    expect(second.headers["retry-after"]).toBe("1");
    expect((await first).status).toBe(200);
    expect(f.echo.count()).toBe(before + 1);
    // Another tenant is not held up by it.
    await addModel(f.db, other, { name: "single", backendUrl: `${f.echo.url}/v1`, maxConcurrency: 1 });
    const otherKey = await newKey(f.db, other);
    const held = chat(key.secret, "single", { headers: { "x-echo-delay-ms": "300" } });
    await new Promise((r) => setTimeout(r, 50));
    expect((await chat(otherKey.secret, "single")).status).toBe(200);
    expect((await held).status).toBe(200);
  });
});
