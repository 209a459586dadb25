import { describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error";
import { exceedsJsonDepth, filterInferenceBody } from "./input-filter";

const nested = (depth: number) => Buffer.from(`${"[".repeat(depth)}1${"]".repeat(depth)}`);

function failure(fn: () => void): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("did not throw");
}

describe("exceedsJsonDepth", () => {
  it("counts nesting of objects and arrays", () => {
    expect(exceedsJsonDepth(nested(32), 32)).toBe(false);
    expect(exceedsJsonDepth(nested(33), 32)).toBe(true);
    expect(exceedsJsonDepth(Buffer.from('{"a":{"b":[{"c":1}]}}'), 3)).toBe(true);
    expect(exceedsJsonDepth(Buffer.from('{"a":{"b":[{"c":1}]}}'), 4)).toBe(false);
  });

  it("ignores brackets inside strings, including escaped quotes", () => {
    expect(exceedsJsonDepth(Buffer.from(JSON.stringify({ s: "[[[[[[[[[[" })), 2)).toBe(false);
    expect(exceedsJsonDepth(Buffer.from(JSON.stringify({ s: 'a\\"[[[[[[[' })), 2)).toBe(false);
  });

  it("handles a hostile million-deep body in one pass", () => {
    expect(exceedsJsonDepth(nested(1_000_000))).toBe(true);
  });
});

describe("filterInferenceBody", () => {
  it("accepts the shapes the protocols define, extra fields included", () => {
    filterInferenceBody("openai.chat_completions", { model: "m", messages: [{ role: "user", content: "hi" }], temperature: 0 });
    filterInferenceBody("openai.chat_completions", { model: "m", messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }] });
    filterInferenceBody("openai.completions", { model: "m", prompt: "hi" });
    filterInferenceBody("openai.completions", { model: "m", prompt: [1, 2, 3] });
    filterInferenceBody("openai.embeddings", { model: "m", input: ["a", "b"] });
    filterInferenceBody("kserve.infer", { inputs: [{ name: "x", shape: [1], datatype: "FP32", data: [1] }] });
  });

  it("400 validation_failed naming the field", () => {
    const chat = failure(() => filterInferenceBody("openai.chat_completions", { model: "m", messages: [] }));
    expect(chat.code).toBe("validation_failed");
    expect(chat.status).toBe(400);
    expect(chat.message).toBe("Invalid request body: messages: at least one message");
    expect(failure(() => filterInferenceBody("openai.chat_completions", { messages: [{ role: "user", content: "x" }] })).fields).toHaveProperty("model");
    expect(failure(() => filterInferenceBody("openai.embeddings", { model: "m" })).fields).toHaveProperty("input");
    expect(failure(() => filterInferenceBody("openai.completions", { model: "m", prompt: 7 })).fields).toHaveProperty("prompt");
    expect(failure(() => filterInferenceBody("kserve.infer", { inputs: [{ name: "x" }] })).message).toMatch(/^Invalid request body: inputs\.0\./);
    expect(failure(() => filterInferenceBody("openai.embeddings", [1, 2])).fields).toHaveProperty("body");
  });
});
