import { describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error";
import { exceedsJsonDepth, filterInferenceBody, INFERENCE_SCHEMAS, quickAcceptsInferenceBody, type FilteredRoute } from "./input-filter";

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

describe("the quick check in front of the schemas", () => {
  const VALUES: unknown[] = [
    undefined, null, true, 0, -1, 1.5, 2 ** 60, "", "x", "x".repeat(65), "x".repeat(129), "x".repeat(257), [], [1], [-1], ["a"], [[1]], [1.5], ["a", 1],
    {}, { type: "text" }, [{ type: "text" }], [{ type: 1 }], [null], [[]], Array.from({ length: 33 }, () => 1),
  ];
  const BASES: Record<FilteredRoute, Record<string, unknown>> = {
    "openai.chat_completions": { model: "m", messages: [{ role: "user", content: "hi" }], stream: false },
    "openai.completions": { model: "m", prompt: "hi", stream: true },
    "openai.embeddings": { model: "m", input: ["a"] },
    "kserve.infer": { id: "r1", inputs: [{ name: "x", shape: [1, 2], datatype: "FP32", data: [1, 2] }] },
  };

  /** The base body, and every variant with one field (top level, or of the first message / tensor) replaced or removed. */
  function variants(base: Record<string, unknown>): unknown[] {
    const out: unknown[] = [base, ...VALUES];
    for (const field of Object.keys(base)) {
      for (const v of VALUES) out.push({ ...base, [field]: v });
      const { [field]: _, ...without } = base;
      out.push(without);
      const list = base[field];
      if (Array.isArray(list) && typeof list[0] === "object") {
        const first = list[0] as Record<string, unknown>;
        for (const inner of [...Object.keys(first), "content"]) {
          for (const v of VALUES) out.push({ ...base, [field]: [{ ...first, [inner]: v }] });
          const { [inner]: __, ...innerWithout } = first;
          out.push({ ...base, [field]: [innerWithout] });
        }
      }
    }
    return out;
  }

  for (const route of Object.keys(BASES) as FilteredRoute[]) {
    it(`${route}: never accepts a body the schema refuses, and accepts the usual valid ones`, () => {
      let quick = 0;
      for (const body of variants(BASES[route])) {
        const accepted = quickAcceptsInferenceBody(route, body);
        if (accepted) quick++;
        if (accepted) expect(INFERENCE_SCHEMAS[route].safeParse(body).success, JSON.stringify(body)).toBe(true);
      }
      expect(quickAcceptsInferenceBody(route, BASES[route])).toBe(true);
      expect(quick).toBeGreaterThan(1);
    });
  }
});
