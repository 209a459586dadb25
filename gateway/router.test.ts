import { describe, expect, it } from "vitest";
import { AppError } from "../lib/errors/app-error";
import { createRouter, splitTarget } from "./router";

const router = createRouter();

function failure(method: string, path: string): AppError {
  try {
    router.match(method, path);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error(`${method} ${path} matched`);
}

describe("router", () => {
  it("matches every route of the product", () => {
    expect(router.match("GET", "/healthz").route.id).toBe("healthz");
    expect(router.match("GET", "/readyz").route.id).toBe("readyz");
    expect(router.match("POST", "/v1/chat/completions").route.id).toBe("openai.chat_completions");
    expect(router.match("POST", "/v1/completions").route.id).toBe("openai.completions");
    expect(router.match("POST", "/v1/embeddings").route.id).toBe("openai.embeddings");
    expect(router.match("GET", "/v1/models").route.id).toBe("openai.models");
    expect(router.match("GET", "/v2/health/ready").route.id).toBe("kserve.health_ready");
    expect(router.match("GET", "/v2/health/live").route.id).toBe("kserve.health_live");
    expect(router.match("GET", "/v2/models/resnet").route.id).toBe("kserve.model_metadata");
    expect(router.match("GET", "/v2/models/resnet/versions/v2")).toMatchObject({ route: { id: "kserve.model_metadata" }, params: { model: "resnet", version: "v2" } });
  });

  it("extracts and decodes KServe model name and version", () => {
    expect(router.match("POST", "/v2/models/resnet-50/infer")).toMatchObject({
      route: { id: "kserve.infer" },
      params: { model: "resnet-50" },
    });
    expect(router.match("POST", "/v2/models/llama3%3A8b/versions/2/infer").params).toEqual({
      model: "llama3:8b",
      version: "2",
    });
  });

  it("answers HEAD on GET routes", () => {
    expect(router.match("HEAD", "/healthz").route.id).toBe("healthz");
  });

  it("404s unknown or non-canonical paths instead of normalising them", () => {
    for (const path of [
      "/",
      "/nope",
      "/healthz/",
      "//healthz",
      "/HEALTHZ",
      "/v1/../healthz",
      "/v1/chat/completions/",
      "/v2/models//infer",
      "/v2/models/%2e%2e/infer",
      "/v2/models/a%2Fb/infer",
      "/v2/models/%E0%A4%A/infer",
      "/v2/models/x/versions/1/",
      "/v2/models/x/versions/-1",
      "http://evil/healthz",
      "*",
      `/${"a".repeat(3000)}`,
    ]) {
      const err = failure("GET", path);
      expect(err.code, path).toBe("not_found");
      expect(err.status).toBe(404);
    }
  });

  it("405s a known path with another method, listing the allowed ones", () => {
    const post = failure("POST", "/healthz");
    expect(post.code).toBe("method_not_allowed");
    expect(post.headers).toEqual({ allow: "GET, HEAD" });
    expect(failure("GET", "/v1/chat/completions").headers).toEqual({ allow: "POST" });
    expect(failure("DELETE", "/v2/models/m/versions/1/infer").headers).toEqual({ allow: "POST" });
    expect(failure("OPTIONS", "/v1/models").status).toBe(405);
  });
});

describe("splitTarget", () => {
  it("separates the path from the query", () => {
    const { path, query } = splitTarget("/v1/models?api_key=sk&x=1");
    expect(path).toBe("/v1/models");
    expect(query).toBe("api_key=sk&x=1");
    expect(splitTarget("/healthz").query).toBe("");
  });
});
