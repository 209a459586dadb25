import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVersion, deleteVersion } from "../lib/models/model-versions";
import { setTrafficSplit } from "../lib/models/traffic-split";
import { closeSharedRedis } from "../lib/redis/shared";
import { startEchoBackend, type EchoBackend } from "../scripts/echo-backend";
import { addModel, call, closeFixture, newKey, newTenant, openFixture, startGateway, type Fixture, type RunningGateway } from "./test-support";

const ctx = { actor: { type: "system" as const, id: "test" } };
const inferBody = { inputs: [{ name: "x", shape: [1], datatype: "FP32", data: [1] }] };

/**
 * KServe `/v2/models/{name}/versions/{v}[/infer]`: `{v}` is a registry version
 * label, and the request goes to that version's backend whatever the traffic
 * split says; the unversioned path keeps following the split.
 */
describe("gateway: KServe versioned paths route to the registry version", () => {
  let f: Fixture;
  let gw: RunningGateway;
  let v2Backend: EchoBackend;
  let v1Backend: EchoBackend;
  let tenant: string;
  let modelId: string;
  let key: string;

  const infer = (path: string) => call(gw.url, path, { key, body: inferBody });
  const hits = () => ({ v1: v1Backend.count(), v2: v2Backend.count() });

  beforeAll(async () => {
    f = await openFixture();
    v1Backend = f.echo;
    v2Backend = await startEchoBackend(0);
    gw = await startGateway(f.db);
    tenant = await newTenant(f.su, "gw-versions");
    ({ modelId } = await addModel(f.db, tenant, { name: "ranker", protocol: "kserve-v2", backendUrl: v1Backend.url }));
    await createVersion(tenant, modelId, { label: "v2", url: v2Backend.url }, ctx, f.db);
    await setTrafficSplit(tenant, modelId, { versions: [{ version: "v1", percent: 50 }, { version: "v2", percent: 50 }] }, ctx, f.db);
    key = (await newKey(f.db, tenant)).secret;
  });

  afterAll(async () => {
    await gw.close();
    await v2Backend.close();
    await closeSharedRedis();
    await closeFixture(f);
  });

  it("sends /versions/v2 to v2's backend and /versions/v1 to v1's, every time, while the unversioned path follows the 50/50 split", async () => {
    v1Backend.reset();
    v2Backend.reset();
    for (let i = 0; i < 20; i++) {
      const r = await infer("/v2/models/ranker/versions/v2/infer");
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ model_name: "ranker", outputs: [{ name: "x_echo", data: [1] }] });
    }
    expect(hits()).toEqual({ v1: 0, v2: 20 });
    // The backend is asked on the unversioned path: the label chose the backend.
    expect(v2Backend.requests.at(-1)).toMatchObject({ method: "POST", path: "/v2/models/ranker/infer" });

    for (let i = 0; i < 20; i++) expect((await infer("/v2/models/ranker/versions/v1/infer")).status).toBe(200);
    expect(hits()).toEqual({ v1: 20, v2: 20 });

    // 60 unversioned requests at 50/50: both sides get some (all on one side: p ≈ 2^-59).
    for (let i = 0; i < 60; i++) expect((await infer("/v2/models/ranker/infer")).status).toBe(200);
    const split = hits();
    expect(split.v1 + split.v2).toBe(100);
    expect(split.v1).toBeGreaterThan(20);
    expect(split.v2).toBeGreaterThan(20);
  });

  it("reads a version's metadata from that version's backend", async () => {
    v2Backend.reset();
    const meta = await call(gw.url, "/v2/models/ranker/versions/v2", { key });
    expect(meta.status).toBe(200);
    expect(meta.body).toMatchObject({ name: "ranker", platform: "modelgate-echo" });
    expect(v2Backend.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /v2/models/ranker"]);
  });

  it("answers an unknown version with 404 model_version_not_found and calls no backend", async () => {
    v1Backend.reset();
    v2Backend.reset();
    const r = await infer("/v2/models/ranker/versions/v9/infer");
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: "model_version_not_found", request_id: expect.any(String) });
    expect(r.body.error!.message).toContain('"v9"');
    expect((await call(gw.url, "/v2/models/ranker/versions/v9", { key })).body.error?.code).toBe("model_version_not_found");
    // A model the key cannot use stays model_not_found, whatever the version.
    expect((await infer("/v2/models/nope/versions/v1/infer")).body.error?.code).toBe("model_not_found");
    expect(hits()).toEqual({ v1: 0, v2: 0 });
  });

  it("reaches a version added later, and stops reaching it once deleted, long before the 30 s cache expires (the changes are announced)", async () => {
    // A generous deadline for a loaded machine: without the announcement the cached table would answer for 30 s.
    const statusWithin = async (want: number) => {
      const deadline = Date.now() + 5_000;
      let status = 0;
      while (Date.now() < deadline && status !== want) status = (await infer("/v2/models/ranker/versions/v3/infer")).status;
      return status;
    };
    expect((await infer("/v2/models/ranker/versions/v3/infer")).status).toBe(404); // the table is cached now
    const view = await createVersion(tenant, modelId, { label: "v3", url: v2Backend.url }, ctx, f.db);
    expect(await statusWithin(200)).toBe(200);
    await deleteVersion(tenant, modelId, view.versions.find((v) => v.label === "v3")!.id, ctx, f.db);
    expect(await statusWithin(404)).toBe(404);
  });

  it("keeps refusing every version of a disabled model (404 model_not_found)", async () => {
    const other = await newTenant(f.su, "gw-versions-off");
    await addModel(f.db, other, { name: "off", protocol: "kserve-v2", backendUrl: v1Backend.url, enabled: false });
    const otherKey = (await newKey(f.db, other)).secret;
    v1Backend.reset();
    const r = await call(gw.url, "/v2/models/off/versions/v1/infer", { key: otherKey, body: inferBody });
    expect(r.status).toBe(404);
    expect(r.body.error?.code).toBe("model_not_found");
    expect(v1Backend.count()).toBe(0);
  });
});
