import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { Readable, Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { Agent, fetch, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type Db } from "../lib/db/client";
import { generateApiKey } from "../lib/keys/key-format";
import type { KeyRecord } from "../lib/keys/lookup-key";
import { createLogger } from "../lib/log/logger";
import { compileCidrs } from "../lib/policy/ip-rules";
import { createRedis } from "../lib/redis/connection";
import { postgresCheck, redisCheck } from "./readiness";
import { closeGatewayServer, createGatewayServer, type GatewayDeps } from "./server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECRET_KEY = "mg_test_DoNotLogMe0123456789";

const logLines: string[] = [];
const logSink = new Writable({
  write(chunk, _enc, done) {
    logLines.push(String(chunk));
    done();
  },
});
const logger = createLogger("gateway-test", { level: "info", destination: logSink });

async function listen(deps: Partial<GatewayDeps> & Pick<GatewayDeps, "readiness">): Promise<{ server: http.Server; url: string }> {
  const server = createGatewayServer({ logger, ...deps });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A POST with `Expect: 100-continue`, through node:http, which exposes the 100 Continue exchange. */
function postExpectingContinue(url: string, authorization: string): Promise<{ status: number; continued: boolean; connection?: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model: "m", messages: [] });
    const req = http.request(`${url}/v1/chat/completions`, {
      method: "POST",
      agent: false,
      headers: { "content-type": "application/json", authorization, expect: "100-continue", "content-length": Buffer.byteLength(body) },
    });
    let continued = false;
    req.on("continue", () => {
      continued = true;
      req.end(body);
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, continued, connection: res.headers.connection }));
    });
    req.on("error", reject);
    req.flushHeaders();
  });
}

describe("gateway server", () => {
  const dispatcher = new Agent({ keepAliveTimeout: 1_000 });
  let db: Db;
  let redis: Redis;
  let deadRedis: Redis;
  let main: { server: http.Server; url: string };
  let redisDown: { server: http.Server; url: string };
  let base: string;

  beforeAll(async () => {
    db = createPrismaClient({ max: 2 });
    redis = createRedis({ connectionName: "mg-gateway-test", logger });
    deadRedis = createRedis({ url: "redis://127.0.0.1:1/1", connectionName: "mg-gateway-test-dead", logger });
    await Promise.all([redis.ping(), db.$queryRaw`SELECT 1`]); // connected before the readiness checks (1.5 s budget)
    main = await listen({ readiness: [postgresCheck(db), redisCheck(redis)] });
    redisDown = await listen({ readiness: [postgresCheck(db), redisCheck(deadRedis)] });
    base = main.url;
  });

  afterAll(async () => {
    await Promise.all([closeGatewayServer(main.server, 1_000), closeGatewayServer(redisDown.server, 1_000)]);
    await dispatcher.close();
    await redis.quit();
    deadRedis.disconnect();
    await db.$disconnect();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    request(`${base}${path}`, { method: "GET", headers, dispatcher });
  const postJson = (path: string, headers: Record<string, string> = {}, body: string | Buffer = "{}") =>
    request(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
      dispatcher,
    });

  it("GET /healthz: 200, JSON, a generated request id", async () => {
    const res = await get("/healthz");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(res.headers["x-request-id"]).toMatch(UUID);
    expect(await res.body.json()).toEqual({ status: "ok" });
  });

  it("keeps a valid incoming x-request-id and replaces an invalid one", async () => {
    const kept = await get("/healthz", { "x-request-id": "client-req.42" });
    await kept.body.dump();
    expect(kept.headers["x-request-id"]).toBe("client-req.42");
    const replaced = await get("/healthz", { "x-request-id": "has spaces" });
    await replaced.body.dump();
    expect(replaced.headers["x-request-id"]).toMatch(UUID);
  });

  it("unknown path: 404 JSON error carrying the request id", async () => {
    const res = await fetch(`${base}/v1/nope`, { dispatcher });
    expect(res.status).toBe(404);
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(UUID);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "No route for this path", request_id: id } });
  });

  it("known path, wrong method: 405 with Allow", async () => {
    const res = await fetch(`${base}/v1/chat/completions`, { dispatcher });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
    const del = await request(`${base}/healthz`, { method: "DELETE", dispatcher });
    expect(del.statusCode).toBe(405);
    expect(del.headers.allow).toBe("GET, HEAD");
    await del.body.dump();
  });

  it("POST without application/json: 415", async () => {
    const res = await request(`${base}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "text/plain", authorization: `Bearer ${SECRET_KEY}` },
      body: "hello",
      dispatcher,
    });
    expect(res.statusCode).toBe(415);
    expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe("unsupported_media_type");
  });

  it("a 2 MiB body: 413 from Content-Length, before authentication, and the connection closes", async () => {
    const res = await postJson("/v1/chat/completions", { authorization: `Bearer ${SECRET_KEY}` }, Buffer.alloc(2 * 1024 * 1024, 0x20));
    expect(res.statusCode).toBe(413);
    expect(res.headers.connection).toBe("close");
    const body = (await res.body.json()) as { error: { code: string; request_id: string } };
    expect(body.error.code).toBe("payload_too_large");
    expect(body.error.request_id).toBe(res.headers["x-request-id"]);
  });

  it("Expect: 100-continue: a denied client is never asked for its body", async () => {
    expect(await postExpectingContinue(base, `Bearer ${SECRET_KEY}`)).toEqual({ status: 401, continued: false, connection: "close" });
  });

  it("no key: 401 unauthorized with a Bearer challenge", async () => {
    const res = await postJson("/v1/chat/completions");
    expect(res.statusCode).toBe(401);
    expect(res.headers["www-authenticate"]).toBe('Bearer realm="modelgate"');
    expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    const basic = await get("/v1/models", { authorization: "Basic dXNlcjpwYXNz" });
    expect(basic.statusCode).toBe(401);
    expect(((await basic.body.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  });

  it("any key: 401 invalid_api_key (the default pipeline knows no key), on every inference route", async () => {
    const auth = { authorization: `Bearer ${SECRET_KEY}` };
    for (const path of ["/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v2/models/resnet/infer", "/v2/models/resnet/versions/3/infer"]) {
      const res = await postJson(path, auth);
      expect(res.statusCode, path).toBe(401);
      expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe("invalid_api_key");
    }
    for (const path of ["/v1/models", "/v2/models/resnet"]) {
      const res = await fetch(`${base}${path}`, { headers: auth, dispatcher });
      expect(res.status, path).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_api_key");
    }
  });

  it("a key in the query string: 400, even next to an Authorization header", async () => {
    for (const q of [`api_key=${SECRET_KEY}`, `key=${SECRET_KEY}`]) {
      const res = await postJson(`/v1/chat/completions?${q}`, { authorization: `Bearer ${SECRET_KEY}` });
      expect(res.statusCode).toBe(400);
      expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe("bad_request");
    }
  });

  it("KServe health endpoints answer without a key", async () => {
    const live = await fetch(`${base}/v2/health/live`, { dispatcher });
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ live: true });
    const ready = await fetch(`${base}/v2/health/ready`, { dispatcher });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
  });

  it("GET /readyz: 200 when Postgres and Redis answer", async () => {
    const res = await get("/readyz");
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ status: "ready", checks: { postgres: "ok", redis: "ok" } });
  });

  it("GET /readyz: 503 naming Redis (and nothing of its internals) when Redis is down", async () => {
    const res = await request(`${redisDown.url}/readyz`, { dispatcher });
    expect(res.statusCode).toBe(503);
    const text = await res.body.text();
    expect(JSON.parse(text)).toEqual({
      error: {
        code: "service_unavailable",
        message: "Not ready: redis unavailable",
        request_id: res.headers["x-request-id"],
        fields: { redis: "unavailable" },
      },
    });
    expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|:1\b/);
    const kserve = await request(`${redisDown.url}/v2/health/ready`, { dispatcher });
    expect(kserve.statusCode).toBe(503);
    await kserve.body.dump();
  });

  it("never logs the Authorization header, the query string or the body", async () => {
    const res = await postJson(`/v1/embeddings?api_key=${SECRET_KEY}`, { authorization: `Bearer ${SECRET_KEY}` }, `{"input":"${SECRET_KEY}"}`);
    await res.body.dump();
    const lines = logLines.join("");
    expect(lines).toContain('"route":"openai.embeddings"');
    expect(lines).not.toContain(SECRET_KEY);
  });
});

describe("gateway pipeline past authentication", () => {
  const dispatcher = new Agent();
  const good = generateApiKey();
  const record: KeyRecord = {
    tenantId: "3f2c1a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60",
    keyId: "0b0b0b0b-0000-4000-8000-000000000000",
    generation: 1,
    scopes: ["inference"],
    modelAllowlist: [],
    ipAllowlist: [],
    rateLimit: null,
    validUntil: null,
    revoked: false,
    tenant: { status: "active", ipAllowlist: [], redisFailureMode: "closed", maxBodyBytes: 1024 * 1024, rateLimit: null },
  };
  let gw: { server: http.Server; url: string };

  beforeAll(async () => {
    gw = await listen({
      readiness: [],
      maxBodyBytes: 64 * 1024,
      apiKeys: {
        resolve: async (hash) =>
          hash.equals(good.hash) ? { record, keyIps: compileCidrs([]), tenantIps: compileCidrs([]) } : null,
      },
    });
  });

  afterAll(async () => {
    await closeGatewayServer(gw.server, 1_000);
    await dispatcher.close();
  });

  it("an accepted key reaches the body and the (not yet existing) backend", async () => {
    const res = await request(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${good.secret}` },
      body: JSON.stringify({ model: "m", messages: [] }),
      dispatcher,
    });
    expect(res.statusCode).toBe(503);
    expect(((await res.body.json()) as { error: { message: string } }).error.message).toBe("No model backend is configured");
  });

  it("a body that arrives after its headers, in packets of its own, is read whole", async () => {
    const body = JSON.stringify({ model: "m", messages: [] });
    const { port } = new URL(gw.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", async () => {
        socket.write(
          `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n` +
            `authorization: Bearer ${good.secret}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`,
        );
        await sleep(30);
        socket.write(body.slice(0, 5));
        await sleep(30);
        socket.write(body.slice(5));
      });
      let text = "";
      socket.on("data", (d) => (text += d));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 503 /);
    expect(raw).toContain("No model backend is configured");
  });

  it("Expect: 100-continue: an accepted client is asked for its body", async () => {
    expect(await postExpectingContinue(gw.url, `Bearer ${good.secret}`)).toMatchObject({ status: 503, continued: true });
  });

  it("invalid JSON: 400", async () => {
    const res = await request(`${gw.url}/v1/embeddings`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${good.secret}` },
      body: "{nope",
      dispatcher,
    });
    expect(res.statusCode).toBe(400);
    await res.body.dump();
  });

  it("a streamed (chunked) body over the limit: 413 while reading, connection closed", async () => {
    async function* chunks() {
      for (let i = 0; i < 32; i++) {
        yield Buffer.alloc(8 * 1024, 0x20); // 256 KiB in all, limit 64 KiB
        await sleep(1);
      }
    }
    const res = await request(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${good.secret}` },
      body: Readable.from(chunks()),
      dispatcher,
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers.connection).toBe("close");
    expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
  });
});

describe("graceful close", () => {
  it("finishes the in-flight request, then refuses new connections", async () => {
    const gw = await listen({
      readiness: [],
      handlers: { healthz: async () => (await sleep(300), { status: 200, body: { status: "slow" } }) },
    });
    const dispatcher = new Agent();
    const inFlight = request(`${gw.url}/healthz`, { dispatcher });
    await sleep(50);
    const closed = closeGatewayServer(gw.server, 5_000);
    const res = await inFlight;
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ status: "slow" });
    expect(await closed).toEqual({ forced: false });
    await expect(request(`${gw.url}/healthz`, { dispatcher })).rejects.toThrow();
    await dispatcher.close();
  });
});
