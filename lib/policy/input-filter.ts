import { z } from "zod";
import { AppError } from "../errors/app-error";

/** How deeply objects and arrays may nest in a request body. */
export const DEFAULT_MAX_JSON_DEPTH = 32;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * True when the JSON text nests objects/arrays deeper than `maxDepth`. Scans
 * the raw bytes before parsing (strings skipped, escapes honoured), so a
 * hostile body costs one linear pass and no allocation.
 */
export function exceedsJsonDepth(raw: Uint8Array, maxDepth: number = DEFAULT_MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

const modelField = z.string({ message: "model: required, the name of a model" }).min(1, "model: required, the name of a model").max(128);
const tokens = z.array(z.number().int());
const textOrTokens = z.union([z.string(), z.array(z.string()).min(1), tokens.min(1), z.array(tokens.min(1)).min(1)]);

const chatMessage = z.looseObject({
  role: z.string().min(1).max(64),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() })), z.null()]).optional(),
});

/**
 * One schema per inference route: the fields the gateway relies on (the
 * model name, the payload the backend must have) are checked; anything else
 * the protocol allows passes through untouched to the backend.
 */
export const INFERENCE_SCHEMAS = {
  "openai.chat_completions": z.looseObject({
    model: modelField,
    messages: z.array(chatMessage, { message: "messages: required, an array of {role, content}" }).min(1, "messages: at least one message").max(4096),
    stream: z.boolean().optional(),
  }),
  "openai.completions": z.looseObject({
    model: modelField,
    prompt: textOrTokens,
    stream: z.boolean().optional(),
  }),
  "openai.embeddings": z.looseObject({
    model: modelField,
    input: textOrTokens,
  }),
  "kserve.infer": z.looseObject({
    id: z.string().max(256).optional(),
    inputs: z
      .array(
        z.looseObject({
          name: z.string().min(1).max(256),
          shape: z.array(z.number().int().nonnegative()).max(32),
          datatype: z.string().min(1).max(16),
          data: z.unknown().refine((d) => d !== undefined, "data is required"),
        }),
        { message: "inputs: required, an array of {name, shape, datatype, data} tensors" },
      )
      .min(1, "inputs: at least one input tensor"),
  }),
} as const;

export type FilteredRoute = keyof typeof INFERENCE_SCHEMAS;

export function isFilteredRoute(route: string): route is FilteredRoute {
  return Object.hasOwn(INFERENCE_SCHEMAS, route);
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isText = (v: unknown, min: number, max: number): v is string => typeof v === "string" && v.length >= min && v.length <= max;
const isOptionalBoolean = (v: unknown) => v === undefined || typeof v === "boolean";

function isChatMessage(m: unknown): boolean {
  if (!isObject(m) || !isText(m.role, 1, 64)) return false;
  const content = m.content;
  if (content === undefined || content === null || typeof content === "string") return true;
  if (!Array.isArray(content)) return false;
  for (const part of content) {
    if (!isObject(part) || typeof part.type !== "string") return false;
  }
  return true;
}

/** The common shapes of `textOrTokens`: a string, or strings, or token ids. */
function isTextOrTokens(v: unknown): boolean {
  if (typeof v === "string") return true;
  if (!Array.isArray(v) || v.length === 0) return false;
  if (typeof v[0] === "string") return v.every((x) => typeof x === "string");
  return v.every((x) => Number.isSafeInteger(x));
}

/**
 * Hand-written checks that accept only bodies the route's schema accepts
 * (most valid bodies, in a fraction of zod's time). A body they do not
 * accept goes to zod, which decides and words the error, so the answer is
 * zod's either way. Keep each one stricter than its schema.
 */
const QUICK_ACCEPT: Record<FilteredRoute, (body: unknown) => boolean> = {
  "openai.chat_completions": (b) => {
    if (!isObject(b) || !isText(b.model, 1, 128) || !isOptionalBoolean(b.stream)) return false;
    const messages = b.messages;
    if (!Array.isArray(messages) || messages.length === 0 || messages.length > 4096) return false;
    for (const m of messages) {
      if (!isChatMessage(m)) return false;
    }
    return true;
  },
  "openai.completions": (b) => isObject(b) && isText(b.model, 1, 128) && isOptionalBoolean(b.stream) && isTextOrTokens(b.prompt),
  "openai.embeddings": (b) => isObject(b) && isText(b.model, 1, 128) && isTextOrTokens(b.input),
  "kserve.infer": (b) => {
    if (!isObject(b) || !(b.id === undefined || isText(b.id, 0, 256))) return false;
    const inputs = b.inputs;
    if (!Array.isArray(inputs) || inputs.length === 0) return false;
    for (const t of inputs) {
      if (!isObject(t) || !isText(t.name, 1, 256) || !isText(t.datatype, 1, 16) || t.data === undefined) return false;
      const shape = t.shape;
      if (!Array.isArray(shape) || shape.length > 32) return false;
      for (const d of shape) {
        if (!Number.isSafeInteger(d) || (d as number) < 0) return false;
      }
    }
    return true;
  },
};

function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.length ? issue.path.map(String).join(".") : "body";
}

/** The hand-written check alone (tests hold it to never accepting what the schema refuses). */
export function quickAcceptsInferenceBody(route: FilteredRoute, body: unknown): boolean {
  return QUICK_ACCEPT[route](body);
}

/**
 * Checks a parsed body against its route's schema; throws 400
 * `validation_failed` naming the first problem of each field.
 */
export function filterInferenceBody(route: FilteredRoute, body: unknown): void {
  if (QUICK_ACCEPT[route](body)) return;
  const parsed = INFERENCE_SCHEMAS[route].safeParse(body);
  if (parsed.success) return;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const path = issuePath(issue);
    const message = issue.message.includes(": ") ? issue.message.slice(issue.message.indexOf(": ") + 2) : issue.message;
    fields[path] ??= message;
  }
  const [firstPath, firstMessage] = Object.entries(fields)[0]!;
  throw new AppError("validation_failed", `Invalid request body: ${firstPath}: ${firstMessage}`, { fields });
}
