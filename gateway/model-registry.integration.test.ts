import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../lib/db/tenant-scope";
import { grantModel, revokeModelGrant } from "../lib/models/model-grants";
import { clearTrafficSplit, setTrafficSplit } from "../lib/models/traffic-split";
import { createVersion } from "../lib/models/model-versions";
import { closeSharedRedis } from "../lib/redis/shared";
import { addModel, call, chatBody, closeFixture, listen, newKey, newTenant, openFixture, startGateway, type Fixture, type RunningGateway } from "./test-support";

/** A real HTTP backend that records what it received and answers with `reply`. */
type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };
async function backend(reply: (req: Seen) => { status?: number; headers?: Record<string, string>; body: unknown }) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const s = { method: req.method!, url: req.url!, headers: req.headers, body };
      seen.push(s);
      const r = reply(s);
      res.writeHead(r.status ?? 200, { "content-type": "application/json", ...r.headers });
      res.end(typeof r.body === "string" ? r.body : JSON.stringify(r.body));
    });
  });
  const url = await listen(server);
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const chatReply = (who: string) => () => ({
  body: { id: "x", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: who }, finish_reason: "stop" }] },
});
const ctx = { actor: { type: "system" as const, id: "test" } };

async function waitFor(check: () => Promise<boolean>, withinMs: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < withinMs) {
    if (await check()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`not within ${withinMs} ms`);
}

describe("gateway: routing by the model registry", () => {
  let f: Fixture;
  let gw: RunningGateway;
  const backends: Array<{ close(): Promise<void> }> = [];
  const track = <T extends { close(): Promise<void> }>(b: T) => (backends.push(b), b);

  beforeAll(async () => {
    f = await openFixture();
    gw = await startGateway(f.db);
  });

  afterAll(async () => {
    await gw.close();
    await Promise.all(backends.map((b) => b.close()));
    await closeSharedRedis();
    await closeFixture(f);
  });

  it("sends the backend its own credential (decrypted in memory) and never the client's", async () => {
    const be = track(await backend(chatReply("ok")));
    const tenant = await newTenant(f.su, "reg-cred");
    await addModel(f.db, tenant, { name: "bearer", backendUrl: `${be.url}/v1`, credential: { kind: "bearer", token: "backend-token-1" } });
    await addModel(f.db, tenant, { name: "header", backendUrl: `${be.url}/v1`, credential: { kind: "header", header: "x-backend-key", value: "backend-token-2" } });
    const key = await newKey(f.db, tenant);

    const r1 = await call(gw.url, "/v1/chat/completions", { key: key.secret, body: chatBody("bearer"), headers: { cookie: "session=abc", "x-api-key": "client-key" } });
    expect(r1.status).toBe(200);
    const h1 = be.seen.at(-1)!.headers;
    expect(h1.authorization).toBe("Bearer backend-token-1");
    expect(JSON.stringify(h1)).not.toContain(key.secret);
    expect(h1.cookie).toBeUndefined();
    expect(h1["x-api-key"]).toBeUndefined();

    // A client that sends the credential's header itself does not get to choose its value.
    const r2 = await call(gw.url, "/v1/chat/completions", { key: key.secret, body: chatBody("header"), headers: { "x-backend-key": "forged" } });
    expect(r2.status).toBe(200);
    const h2 = be.seen.at(-1)!.headers;
    expect(h2["x-backend-key"]).toBe("backend-token-2");
    expect(h2.authorization).toBeUndefined();
    expect(JSON.stringify(h2)).not.toContain(key.secret);
  });

  it("splits traffic between the default and the canary by weight, and rolls back at once", async () => {
    const v1 = track(await backend(chatReply("v1")));
    const v2 = track(await backend(chatReply("v2")));
    const tenant = await newTenant(f.su, "reg-split");
    const { modelId } = await addModel(f.db, tenant, { name: "split", backendUrl: `${v1.url}/v1` });
    await createVersion(tenant, modelId, { label: "v2", url: `${v2.url}/v1` }, ctx, f.db);
    await setTrafficSplit(tenant, modelId, { versions: [{ version: "v1", percent: 70 }, { version: "v2", percent: 30 }] }, ctx, f.db);
    const key = await newKey(f.db, tenant);

    const answers = { v1: 0, v2: 0 } as Record<string, number>;
    for (let i = 0; i < 300; i++) {
      const r = await call(gw.url, "/v1/chat/completions", { key: key.secret, body: chatBody("split") });
      expect(r.status).toBe(200);
      answers[(r.body as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content]!++;
    }
    // 30 % of 300 = 90; a binomial's 5 standard deviations (~40) either side.
    expect(answers.v2).toBeGreaterThan(50);
    expect(answers.v2).toBeLessThan(130);
    expect(answers.v1! + answers.v2!).toBe(300);

    await clearTrafficSplit(tenant, modelId, ctx, f.db);
    const before = v2.seen.length;
    // The rollback is announced: within a second every request goes to v1.
    await waitFor(async () => {
      const r = await call(gw.url, "/v1/chat/completions", { key: key.secret, body: chatBody("split") });
      return (r.body as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content === "v1";
    }, 1_000);
    const settled = v2.seen.length;
    for (let i = 0; i < 30; i++) await call(gw.url, "/v1/chat/completions", { key: key.secret, body: chatBody("split") });
    expect(v2.seen.length).toBe(settled);
    expect(settled - before).toBeLessThan(10);
  });

  it("serves a granted shared model from the owner's backend under the grantee's key, and refuses it within 1 s of the revocation", async () => {
    const be = track(await backend(chatReply("shared")));
    const owner = await newTenant(f.su, "reg-owner");
    const grantee = await newTenant(f.su, "reg-grantee");
    const { modelId } = await addModel(f.db, owner, { name: "shared-llm", backendUrl: `${be.url}/v1`, visibility: "shared", credential: { kind: "bearer", token: "owner-secret" } });
    const granteeSlug = (await f.su.query<{ slug: string }>("SELECT slug FROM tenants WHERE id = $1", [grantee])).rows[0]!.slug;
    const key = await newKey(f.db, grantee, { models: ["shared-llm"] });

    expect((await call(gw.url, "/v1/chat/completions", { key: key.secret, body: chatBody("shared-llm") })).status).toBe(404);
    await grantModel(modelId, granteeSlug, { actor: { type: "system", id: "cli:test" } }, f.db);
    await waitFor(async () => (await call(gw.url, "/v1/chat/completions", { key: key.secret, body: chatBody("shared-llm") })).status === 200, 1_000);
    expect(be.seen.at(-1)!.headers.authorization).toBe("Bearer owner-secret");
    const listed = await call(gw.url, "/v1/models", { key: key.secret });
    expect((listed.body as { data: Array<{ id: string }> }).data.map((m) => m.id)).toEqual(["shared-llm"]);

    await revokeModelGrant(modelId, granteeSlug, { actor: { type: "system", id: "cli:test" } }, f.db);
    const took = await waitFor(async () => {
      const r = await call(gw.url, "/v1/chat/completions", { key: key.secret, body: chatBody("shared-llm") });
      return r.status === 404 && r.body.error?.code === "model_not_found";
    }, 1_000);
    expect(took).toBeLessThan(1_000);
  });

  it("does not follow a backend's redirect: 502, and the Location goes nowhere", async () => {
    const be = track(await backend(() => ({ status: 302, headers: { location: "http://169.254.169.254/latest/meta-data" }, body: "" })));
    const tenant = await newTenant(f.su, "reg-redirect");
    await addModel(f.db, tenant, { name: "moved", backendUrl: `${be.url}/v1` });
    await addModel(f.db, tenant, { name: "moved-tf", protocol: "tfserving", backendUrl: be.url });
    const key = await newKey(f.db, tenant);
    const r = await call(gw.url, "/v1/chat/completions", { key: key.secret, body: chatBody("moved") });
    expect(r.status).toBe(502);
    expect(r.body.error?.code).toBe("bad_gateway");
    expect(r.headers.location).toBeUndefined();
    const tf = await call(gw.url, "/v2/models/moved-tf/infer", { key: key.secret, body: { inputs: [{ name: "x", shape: [1], datatype: "FP32", data: [1] }] } });
    expect(tf.status).toBe(502);
    expect(be.seen).toHaveLength(2);
  });

  it("refuses a backend at a link-local address even if it got into the registry", async () => {
    const tenant = await newTenant(f.su, "reg-ssrf");
    await addModel(f.db, tenant, { name: "metadata", backendUrl: "http://169.254.169.254/v1" });
    const key = await newKey(f.db, tenant);
    const r = await call(gw.url, "/v1/chat/completions", { key: key.secret, body: chatBody("metadata") });
    expect(r.status).toBe(502);
    expect(r.body.error?.message).toMatch(/address is not allowed/);
  });

  it("adapts the KServe v2 route to TF Serving and TorchServe backends", async () => {
    const tf = track(await backend((s) => ({ body: { outputs: (JSON.parse(s.body).inputs as number[][]).map((row) => row.map((x) => x * 2)) } })));
    const ts = track(await backend((s) => ({ body: { scores: (JSON.parse(s.body) as number[][]).map((row) => row.reduce((a, b) => a + b, 0)), label: ["cat"] } })));
    const tenant = await newTenant(f.su, "reg-adapt");
    await addModel(f.db, tenant, { name: "tf-model", protocol: "tfserving", backendUrl: tf.url, credential: { kind: "bearer", token: "tf-token" } });
    await addModel(f.db, tenant, { name: "ts-model", protocol: "torchserve", backendUrl: `${ts.url}/` });
    const key = await newKey(f.db, tenant);
    const request = { id: "req-1", inputs: [{ name: "x", shape: [2, 2], datatype: "FP32", data: [1, 2, 3, 4.5] }] };

    const r1 = await call(gw.url, "/v2/models/tf-model/infer", { key: key.secret, body: request });
    expect(r1.status).toBe(200);
    expect(tf.seen.at(-1)).toMatchObject({ method: "POST", url: "/v1/models/tf-model:predict" });
    expect(JSON.parse(tf.seen.at(-1)!.body)).toEqual({ inputs: [[1, 2], [3, 4.5]] });
    expect(tf.seen.at(-1)!.headers.authorization).toBe("Bearer tf-token");
    expect(r1.body).toEqual({ model_name: "tf-model", id: "req-1", outputs: [{ name: "output_0", shape: [2, 2], datatype: "FP32", data: [2, 4, 6, 9] }] });

    const r2 = await call(gw.url, "/v2/models/ts-model/infer", { key: key.secret, body: request });
    expect(r2.status).toBe(200);
    expect(ts.seen.at(-1)).toMatchObject({ method: "POST", url: "/predictions/ts-model" });
    expect(JSON.parse(ts.seen.at(-1)!.body)).toEqual([[1, 2], [3, 4.5]]);
    expect(r2.body.outputs).toEqual([
      { name: "scores", shape: [2], datatype: "FP32", data: [3, 7.5] },
      { name: "label", shape: [1], datatype: "BYTES", data: ["cat"] },
    ]);

    // Their metadata is what the gateway knows; the OpenAI routes do not reach them.
    expect((await call(gw.url, "/v2/models/tf-model", { key: key.secret })).body).toMatchObject({ name: "tf-model", platform: "modelgate" });
    expect((await call(gw.url, "/v1/chat/completions", { key: key.secret, body: chatBody("tf-model") })).status).toBe(404);
    // A body the adapter cannot shape is the client's error, and reaches no backend.
    const seen = tf.seen.length;
    const bad = await call(gw.url, "/v2/models/tf-model/infer", { key: key.secret, body: { inputs: [{ name: "x", shape: [3, 2], datatype: "FP32", data: [1, 2] }] } });
    expect(bad.status).toBe(400);
    expect(tf.seen.length).toBe(seen);
  });

  it("counts the concurrency limit per version and tenant (the version's max_concurrency)", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const server = http.createServer(async (req, res) => {
      req.resume();
      await gate;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ choices: [] }));
    });
    const url = await listen(server);
    track({ close: () => new Promise<void>((r) => server.close(() => r())) });
    const tenant = await newTenant(f.su, "reg-conc");
    await addModel(f.db, tenant, { name: "one", backendUrl: `${url}/v1`, maxConcurrency: 1 });
    const key = await newKey(f.db, tenant);
    const first = call(gw.url, "/v1/chat/completions", { key: key.secret, body: chatBody("one") });
    await new Promise((r) => setTimeout(r, 100));
    const second = await call(gw.url, "/v1/chat/completions", { key: key.secret, body: chatBody("one") });
    expect(second.status).toBe(503);
    release();
    expect((await first).status).toBe(200);
  });

  it("refuses to call a backend whose sealed credential was copied from another row (502, never a call without it)", async () => {
    const be = track(await backend(chatReply("x")));
    const tenant = await newTenant(f.su, "reg-swap");
    const a = await addModel(f.db, tenant, { name: "a", backendUrl: `${be.url}/v1`, credential: { kind: "bearer", token: "token-a" } });
    const b = await addModel(f.db, tenant, { name: "b", backendUrl: `${be.url}/v1`, credential: { kind: "bearer", token: "token-b" } });
    await f.su.query("UPDATE model_versions SET credential_secret = (SELECT credential_secret FROM model_versions WHERE id = $1) WHERE id = $2", [a.versionId, b.versionId]);
    gw.gw.models.invalidate(tenant);
    const key = await newKey(f.db, tenant);
    const r = await call(gw.url, "/v1/chat/completions", { key: key.secret, body: chatBody("b") });
    expect(r.status).toBe(502);
    expect(r.body.error?.message).toMatch(/credential cannot be used/);
    expect(be.seen).toHaveLength(0);
    expect((await call(gw.url, "/v1/chat/completions", { key: key.secret, body: chatBody("a") })).status).toBe(200);
    expect(be.seen[0]!.headers.authorization).toBe("Bearer token-a");
  });

  it("keeps the credential out of the routing table's JSON and inspection", async () => {
    const tenant = await newTenant(f.su, "reg-redact");
    await addModel(f.db, tenant, { name: "quiet", backendUrl: "http://127.0.0.1:9/v1", credential: { kind: "bearer", token: "never-logged" } });
    const table = await gw.gw.models.table(tenant);
    const entry = table.get("quiet")!;
    expect(entry.primary.credential!.value).toBe("Bearer never-logged");
    expect(JSON.stringify(entry)).not.toContain("never-logged");
    const { inspect } = await import("node:util");
    expect(inspect(entry, { depth: 5 })).not.toContain("never-logged");
    // And it is stored sealed.
    const row = await withTenant(tenant, (tx) => tx.modelVersion.findFirstOrThrow({ where: { tenantId: tenant }, select: { credentialSecret: true } }), f.db);
    expect(Buffer.from(row.credentialSecret!).toString("latin1")).not.toContain("never-logged");
  });
});
