import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors/app-error";
import { bearerToken, hasCredentialInQuery } from "./authenticate";
import { ClientGoneError, readBodyLimited } from "./body-limit";
import { isJsonContentType } from "./content-type";

describe("isJsonContentType", () => {
  it("accepts application/json with or without a UTF-8 charset", () => {
    for (const ok of ["application/json", "Application/JSON", "application/json; charset=utf-8", 'application/json;charset="UTF-8"']) {
      expect(isJsonContentType(ok), ok).toBe(true);
    }
  });

  it("refuses anything else", () => {
    for (const bad of [undefined, "", "text/plain", "application/jsonx", "application/json; charset=latin1", "multipart/form-data"]) {
      expect(isJsonContentType(bad), String(bad)).toBe(false);
    }
  });
});

describe("readBodyLimited", () => {
  it("returns a body within the limit", async () => {
    const body = await readBodyLimited(Readable.from([Buffer.from("{\"a\":"), Buffer.from("1}")]), 7);
    expect(body.toString()).toBe('{"a":1}');
  });

  it("rejects with 413 as soon as the limit is crossed, without waiting for the end", async () => {
    const stream = new PassThrough();
    const result = readBodyLimited(stream, 1024);
    stream.write(Buffer.alloc(1000));
    stream.write(Buffer.alloc(100)); // crosses the limit; the stream never ends
    const err = await result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("payload_too_large");
    expect(stream.isPaused()).toBe(true);
    expect(stream.listenerCount("data")).toBe(0);
  });

  it("rejects with ClientGoneError when the stream closes early", async () => {
    const stream = new PassThrough();
    const result = readBodyLimited(stream, 1024);
    stream.write("{");
    stream.destroy();
    await expect(result).rejects.toBeInstanceOf(ClientGoneError);
  });
});

describe("bearerToken", () => {
  it("reads only the Bearer scheme", () => {
    expect(bearerToken("Bearer mg_live_abc")).toBe("mg_live_abc");
    expect(bearerToken("bearer  mg_live_abc ")).toBe("mg_live_abc");
    for (const none of [undefined, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "mg_live_abc", "Bearer a b"]) {
      expect(bearerToken(none), String(none)).toBeNull();
    }
  });
});

describe("hasCredentialInQuery", () => {
  it("spots key-like parameters, whatever their case", () => {
    expect(hasCredentialInQuery(new URLSearchParams("api_key=x"))).toBe(true);
    expect(hasCredentialInQuery(new URLSearchParams("KEY="))).toBe(true);
    expect(hasCredentialInQuery(new URLSearchParams("access_token=t&x=1"))).toBe(true);
    expect(hasCredentialInQuery(new URLSearchParams("model=key"))).toBe(false);
  });
});
