import { describe, expect, it } from "vitest";
import { pickRoute, pickVersion } from "./model-cache";
import type { ModelEntry, ModelRoute } from "./pipeline/types";
import { AdapterError, datatypeOf, flatten, nest, tfServing, torchServe } from "./protocol-adapters";

describe("KServe v2 ↔ TF Serving / TorchServe adapters", () => {
  it("nests flat row-major data by shape and flattens it back", () => {
    expect(nest([1, 2, 3, 4, 5, 6], [2, 3])).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(nest([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2])).toEqual([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    expect(nest([[1, 2]], [1, 2])).toEqual([[1, 2]]); // already nested: as sent
    expect(nest([7], [])).toBe(7);
    expect(() => nest([1, 2, 3], [2, 2])).toThrow(AdapterError);
    expect(flatten([[1, 2, 3], [4, 5, 6]])).toEqual({ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });
    expect(flatten(0.5)).toEqual({ shape: [], data: [0.5] });
  });

  it("names datatypes from the data, keeping the request's float type", () => {
    expect(datatypeOf([1, 2])).toBe("INT64");
    expect(datatypeOf([1, 2], "FP64")).toBe("FP64");
    expect(datatypeOf([1.5])).toBe("FP32");
    expect(datatypeOf(["a"], "FP32")).toBe("BYTES");
    expect(datatypeOf([true, false])).toBe("BOOL");
  });

  const req = { id: "r", inputs: [{ name: "a", shape: [1, 2], datatype: "FP32", data: [1, 2] }] };
  const two = { inputs: [...req.inputs, { name: "b", shape: [2], datatype: "INT64", data: [3, 4] }] };

  it("TF Serving: columnar predict request, outputs or predictions back", () => {
    expect(tfServing.path("my model")).toBe("/v1/models/my%20model:predict");
    expect(tfServing.request(req)).toEqual({ inputs: [[1, 2]] });
    expect(tfServing.request(two)).toEqual({ inputs: { a: [[1, 2]], b: [3, 4] } });
    expect(tfServing.response("m", req, { outputs: [[0.5, 0.5]] })).toEqual({
      model_name: "m",
      id: "r",
      outputs: [{ name: "output_0", shape: [1, 2], datatype: "FP32", data: [0.5, 0.5] }],
    });
    expect(tfServing.response("m", two, { predictions: { probs: [0.1, 0.9], classes: [1, 0] } }).outputs.map((o) => o.name)).toEqual(["probs", "classes"]);
    expect(() => tfServing.response("m", req, { error: "nope" })).toThrow(AdapterError);
  });

  it("TorchServe: the tensor (or named tensors) as the body, the handler's JSON back", () => {
    expect(torchServe.path("resnet")).toBe("/predictions/resnet");
    expect(torchServe.request(req)).toEqual([[1, 2]]);
    expect(torchServe.request(two)).toEqual({ a: [[1, 2]], b: [3, 4] });
    expect(torchServe.response("resnet", req, [0.2, 0.8]).outputs).toEqual([{ name: "output_0", shape: [2], datatype: "FP32", data: [0.2, 0.8] }]);
  });
});

describe("canary routing", () => {
  const route = (id: string) => ({ id, name: "m", protocol: "openai", backendUrl: "http://x", timeoutMs: 1, maxConcurrency: 1, created: 0 }) as ModelRoute;
  const [v1, v2] = [route("v1"), route("v2")];
  const entry: ModelEntry = { id: "m", name: "m", protocol: "openai", created: 0, primary: v1, canary: { route: v2, percent: 25 }, versions: new Map([["v1", v1], ["v2", v2]]) };

  it("sends the canary its percentage of requests, the default the rest", () => {
    expect(pickRoute(entry, () => 0.2499).id).toBe("v2");
    expect(pickRoute(entry, () => 0.25).id).toBe("v1");
    expect(pickRoute({ ...entry, canary: null }, () => 0).id).toBe("v1");
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const hits = Array.from({ length: 10_000 }, () => pickRoute(entry, random).id).filter((id) => id === "v2").length;
    expect(hits).toBeGreaterThan(2_300);
    expect(hits).toBeLessThan(2_700);
  });

  it("sends a request that names a version to that version, whatever the split; an unknown one is 404 model_version_not_found", () => {
    for (let i = 0; i < 20; i++) expect(pickVersion(entry, "v1")).toBe(v1);
    expect(pickVersion(entry, "v2")).toBe(v2);
    expect(() => pickVersion(entry, "v3")).toThrow(expect.objectContaining({ code: "model_version_not_found", status: 404 }));
  });
});
