import { createHash } from "node:crypto";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Agent, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../lib/log/logger";
import { ConcurrencyLimiter } from "./concurrency";
import { createForwarder } from "./forward";
import type { ModelRoute, Stage } from "./pipeline";
import { readBodyStage } from "./pipeline/read-body";
import { closeGatewayServer, createGatewayServer, type FinishedRequest } from "./server";
import { UpstreamPools } from "./upstream";

const logger = createLogger("forward-test", { level: "silent" });
const TENANT = "3f2c1a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60";
const BIG = 4 * 1024 * 1024;

/** A backend whose behaviour the request picks with `x-test`; it reports when a request of it closes early. */
function startBackend() {
  const closedEarly: string[] = [];
  const server = http.createServer((req, res) => {
    const test = String(req.headers["x-test"] ?? "");
    req.resume();
    res.on("close", () => {
      if (!res.writableFinished) closedEarly.push(test);
    });
    if (test === "big") {
      // 4 MiB in 64 KiB chunks, then the usage object at the very end.
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, "a");
      res.write('{"data":"');
      let sent = 0;
      const pump = () => {
        while (sent < BIG) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end('","usage":{"prompt_tokens":7,"completion_tokens":5,"total_tokens":12}}');
      };
      pump();
      return;
    }
    if (test === "stall") {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('data: {"choices":[]}\n\n'); // and nothing more, until the client goes
      return;
    }
    if (test === "slow") {
      setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end("{}"), 1_000).unref();
      return;
    }
    res.writeHead(200, ["content-type", "application/json", "content-length", "11", "vary", "a", "vary", "b", "set-cookie", "s=1"]);
    res.end('{"ok":true}');
  });
  return { server, closedEarly };
}

describe("forwarding (undici dispatch straight into the response)", () => {
  const backend = startBackend();
  const concurrency = new ConcurrencyLimiter();
  const pools = new UpstreamPools({ connections: 8 });
  const upstreamErrors: string[] = [];
  const finished: FinishedRequest[] = [];
  const dispatcher = new Agent();
  let model: ModelRoute;
  let gateway: http.Server;
  let url: string;
  let rawBackend: net.Server;

  const slot = () => `${TENANT}:${model.id}`;
  const call = (test: string, signal?: AbortSignal) =>
    request(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-test": test },
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
      dispatcher,
      signal,
    });

  beforeAll(async () => {
    await new Promise<void>((resolve) => backend.server.listen(0, "127.0.0.1", resolve));
    // A backend that answers with a malformed header field.
    rawBackend = net.createServer((socket) => {
      socket.once("data", () => socket.end("HTTP/1.1 200 OK\r\nx-bad: a\u0001b\r\ncontent-length: 2\r\n\r\nok"));
    });
    await new Promise<void>((resolve) => rawBackend.listen(0, "127.0.0.1", resolve));
    const port = (backend.server.address() as AddressInfo).port;
    model = { id: "model-1", name: "m", protocol: "openai", backendUrl: `http://127.0.0.1:${port}/v1`, timeoutMs: 5_000, maxConcurrency: 4, created: 0 };
    const rawModel: ModelRoute = { ...model, id: "model-raw", backendUrl: `http://127.0.0.1:${(rawBackend.address() as AddressInfo).port}/v1` };
    const forward = createForwarder({ pools, concurrency, onUpstreamError: (_t, kind) => upstreamErrors.push(kind) });
    const accept: Stage = {
      name: "test-principal",
      appliesTo: () => true,
      run(ctx) {
        ctx.principal = { tenantId: TENANT, keyId: "k", scopes: ["inference"] };
        ctx.model = ctx.req.headers["x-test"] === "bad-header" ? rawModel : model;
      },
    };
    gateway = createGatewayServer({
      logger,
      readiness: [],
      stages: [accept, readBodyStage(1024 * 1024)],
      handlers: { "openai.chat_completions": (ctx) => forward(ctx, ctx.model!, { method: "POST", path: "/chat/completions" }) },
      onResponse: (done) => finished.push(done),
    });
    await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await closeGatewayServer(gateway, 1_000);
    await dispatcher.close();
    await pools.close();
    backend.server.closeAllConnections();
    await new Promise((r) => backend.server.close(r));
    await new Promise((r) => rawBackend.close(r));
  });

  it("passes status and headers on (repeated fields kept; cookies, connection fields dropped; x-request-id set)", async () => {
    const res = await call("plain");
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe('{"ok":true}');
    expect(res.headers.vary).toEqual(["a", "b"]);
    expect(res.headers["set-cookie"]).toBeUndefined();
    expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers["content-length"]).toBe("11");
  });

  it("a large response reaches a slow reader intact (backpressure), and its usage is read from its end", async () => {
    const res = await call("big");
    await sleep(300); // the client reads nothing for a while: the gateway must wait for drain, not buffer it all
    const body = Buffer.from(await res.body.arrayBuffer());
    expect(body.length).toBe(BIG + '{"data":"'.length + '","usage":{"prompt_tokens":7,"completion_tokens":5,"total_tokens":12}}'.length);
    const expected = createHash("sha256")
      .update('{"data":"')
      .update(Buffer.alloc(BIG, "a"))
      .update('","usage":{"prompt_tokens":7,"completion_tokens":5,"total_tokens":12}}')
      .digest("hex");
    expect(createHash("sha256").update(body).digest("hex")).toBe(expected);
    await sleep(20);
    const done = finished.at(-1)!;
    expect(done.status).toBe(200);
    expect(done.ctx!.usageTap!.usage()).toEqual({ promptTokens: 7, completionTokens: 5, totalTokens: 12 });
    expect(concurrency.current(slot())).toBe(0);
  });

  it("a client that goes away mid-stream cuts the upstream request and frees its concurrency slot", async () => {
    const before = upstreamErrors.length;
    const abort = new AbortController();
    const res = await call("stall", abort.signal);
    expect(res.statusCode).toBe(200);
    expect(concurrency.current(slot())).toBe(1);
    abort.abort();
    await expect(res.body.text()).rejects.toThrow();
    await expect.poll(() => backend.closedEarly.includes("stall"), { timeout: 2_000 }).toBe(true);
    await expect.poll(() => concurrency.current(slot()), { timeout: 2_000 }).toBe(0);
    expect(upstreamErrors.length).toBe(before); // the client's doing, not the backend's
    expect(finished.at(-1)).toMatchObject({ status: 200, aborted: true });
  });

  it("a client that goes away before the backend answers cuts the upstream request too", async () => {
    const abort = new AbortController();
    const pending = call("slow", abort.signal);
    await expect.poll(() => concurrency.current(slot()), { timeout: 2_000 }).toBe(1);
    abort.abort();
    await expect(pending).rejects.toThrow();
    await expect.poll(() => backend.closedEarly.includes("slow"), { timeout: 2_000 }).toBe(true);
    await expect.poll(() => concurrency.current(slot()), { timeout: 2_000 }).toBe(0);
    expect(finished.at(-1)).toMatchObject({ status: 499, aborted: true });
  });

  it("a malformed backend answer (invalid header character) is a 502, and the gateway stays up", async () => {
    const res = await call("bad-header");
    expect(res.statusCode).toBe(502);
    expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe("bad_gateway");
    const after = await call("plain");
    expect(after.statusCode).toBe(200);
    await after.body.dump();
  });
});
