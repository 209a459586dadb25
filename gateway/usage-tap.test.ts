import { describe, expect, it } from "vitest";
import { findUsage, UsageTap } from "./usage-tap";

/** What the forwarder does with each upstream chunk: write it on, and show it to the tap. */
function through(chunks: string[]): { out: string; tap: UsageTap } {
  const tap = new UsageTap();
  let out = "";
  for (const chunk of chunks.map((c) => Buffer.from(c))) {
    tap.push(chunk);
    out += String(chunk);
  }
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
    expect(findUsage('{"usage"')).toBeUndefined();
  });

  it("takes the last usage object, skipping a later one that is inside a string", () => {
    const text = '{"usage":{"prompt_tokens":1},"x":"\\"usage\\": {\\"prompt_tokens\\": 9}"} {"usage" :\n {"total_tokens": 7}}';
    expect(findUsage(text)).toEqual({ promptTokens: undefined, completionTokens: undefined, totalTokens: 7 });
    expect(findUsage(Buffer.from('{"usage":{"prompt_tokens":1},"x":"\\"usage\\": {}"}'))).toEqual({
      promptTokens: 1,
      completionTokens: undefined,
      totalTokens: undefined,
    });
  });
});

describe("UsageTap", () => {
  it("keeps what it needs of a large response and finds usage at its end", () => {
    const big = "x".repeat(100_000);
    const body = JSON.stringify({ data: [{ embedding: big }], usage: { prompt_tokens: 4, total_tokens: 4 } });
    const chunks = body.match(/[\s\S]{1,1000}/g)!;
    const { out, tap } = through(chunks);
    expect(out).toBe(body);
    expect(tap.usage()).toEqual({ promptTokens: 4, completionTokens: undefined, totalTokens: 4 });
  });

  it("finds usage at the start of a large response", () => {
    const body = JSON.stringify({ usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 }, data: "y".repeat(100_000) });
    const { tap } = through(body.match(/[\s\S]{1,4096}/g)!);
    expect(tap.usage()).toEqual({ promptTokens: 1, completionTokens: 2, totalTokens: 3 });
  });

  it("reads the final usage event of an SSE stream", () => {
    const events = [
      'data: {"choices":[{"delta":{"content":"a"}}],"usage":null}\n\n',
      'data: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}\n\n',
      "data: [DONE]\n\n",
    ];
    const { tap } = through(events);
    expect(tap.usage()).toEqual({ promptTokens: 5, completionTokens: 1, totalTokens: 6 });
  });
});
