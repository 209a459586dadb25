import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { findUsage, UsageTap } from "./usage-tap";

async function through(chunks: string[]): Promise<{ out: string; tap: UsageTap }> {
  const tap = new UsageTap();
  let out = "";
  await pipeline(
    Readable.from(chunks.map((c) => Buffer.from(c))),
    tap,
    new Writable({
      write(chunk, _e, done) {
        out += String(chunk);
        done();
      },
    }),
  );
  return { out, tap };
}

describe("findUsage", () => {
  it("reads OpenAI usage, nested details included", () => {
    const body = JSON.stringify({
      id: "x",
      choices: [{ message: { content: 'say "usage": {"prompt_tokens": 999}' } }],
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, prompt_tokens_details: { cached_tokens: 2 } },
    });
    expect(findUsage(body)).toEqual({ promptTokens: 12, completionTokens: 3, totalTokens: 15 });
  });

  it("nothing when there is no usage object (or it is null)", () => {
    expect(findUsage('{"usage": null}')).toBeUndefined();
    expect(findUsage('{"a": 1}')).toBeUndefined();
  });
});

describe("UsageTap", () => {
  it("passes the body through untouched and finds usage at the end of a large response", async () => {
    const big = "x".repeat(100_000);
    const body = JSON.stringify({ data: [{ embedding: big }], usage: { prompt_tokens: 4, total_tokens: 4 } });
    const chunks = body.match(/[\s\S]{1,1000}/g)!;
    const { out, tap } = await through(chunks);
    expect(out).toBe(body);
    expect(tap.usage()).toEqual({ promptTokens: 4, completionTokens: undefined, totalTokens: 4 });
  });

  it("finds usage at the start of a large response", async () => {
    const body = JSON.stringify({ usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 }, data: "y".repeat(100_000) });
    const { tap } = await through(body.match(/[\s\S]{1,4096}/g)!);
    expect(tap.usage()).toEqual({ promptTokens: 1, completionTokens: 2, totalTokens: 3 });
  });

  it("reads the final usage event of an SSE stream", async () => {
    const events = [
      'data: {"choices":[{"delta":{"content":"a"}}],"usage":null}\n\n',
      'data: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}\n\n',
      "data: [DONE]\n\n",
    ];
    const { tap } = await through(events);
    expect(tap.usage()).toEqual({ promptTokens: 5, completionTokens: 1, totalTokens: 6 });
  });
});
