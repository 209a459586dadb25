import { describe, expect, it } from "vitest";
import { backendTarget, clientResponseHeaders, upstreamError, upstreamRequestHeaders } from "./upstream";

describe("upstreamRequestHeaders", () => {
  it("strips client credentials, hop-by-hop fields and unverified forwarding claims; sets the request id", () => {
    const out = upstreamRequestHeaders(
      {
        authorization: "Bearer mgk_secret",
        cookie: "session=1",
        "x-api-key": "k",
        connection: "keep-alive, x-private",
        "x-private": "hop",
        "keep-alive": "timeout=5",
        "transfer-encoding": "chunked",
        te: "trailers",
        upgrade: "h2c",
        host: "gateway",
        "content-length": "999",
        expect: "100-continue",
        "x-forwarded-for": "1.2.3.4",
        "x-request-id": "client-id",
        "accept-encoding": "gzip",
        "content-type": "application/json",
        "user-agent": "OpenAI/JS",
        "openai-beta": "assistants=v2",
      },
      "req-1",
      42,
    );
    expect(out).toEqual({
      "content-type": "application/json",
      "user-agent": "OpenAI/JS",
      "openai-beta": "assistants=v2",
      "x-request-id": "req-1",
      "content-length": "42",
    });
  });
});

describe("clientResponseHeaders", () => {
  it("drops connection fields and cookies, keeps the rest (content-length included)", () => {
    expect(
      clientResponseHeaders({
        "Content-Type": "application/json",
        "content-length": "10",
        connection: "keep-alive",
        "keep-alive": "timeout=5",
        "transfer-encoding": "chunked",
        "set-cookie": ["a=1"],
        "x-request-id": "backend-id",
        "openai-processing-ms": "3",
      }),
    ).toEqual({ "content-type": "application/json", "content-length": "10", "openai-processing-ms": "3" });
  });
});

describe("upstreamError", () => {
  it("timeouts are 504, everything else 502", () => {
    expect(upstreamError({ code: "UND_ERR_HEADERS_TIMEOUT" })).toMatchObject({ kind: "timeout", error: { code: "gateway_timeout", status: 504 } });
    expect(upstreamError({ code: "ECONNREFUSED" })).toMatchObject({ kind: "unreachable", error: { code: "bad_gateway", status: 502 } });
    expect(upstreamError(new Error("other"))).toMatchObject({ error: { code: "bad_gateway" } });
  });
});

describe("backendTarget", () => {
  it("splits origin and base path", () => {
    expect(backendTarget("http://127.0.0.1:8090/v1/")).toEqual({ origin: "http://127.0.0.1:8090", basePath: "/v1" });
    expect(backendTarget("http://127.0.0.1:8090")).toEqual({ origin: "http://127.0.0.1:8090", basePath: "" });
  });
});
