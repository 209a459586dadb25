// A tiny model server for development and tests: deterministic answers for
// the OpenAI API (`/v1/chat/completions`, `/v1/completions`, `/v1/embeddings`,
// `/v1/models`) and KServe v2 (`/v2/models/{name}[/versions/{v}]/infer`,
// `GET /v2/models/{name}`), with token counts. Not for production.
//
//   npx tsx scripts/echo-backend.ts          (ECHO_BACKEND_PORT, default 8090, on 127.0.0.1)
//
// Test hooks: a request header `x-echo-delay-ms: N` delays the answer N ms;
// `requests` counts what arrived, so a test can prove the backend was not called.
import { createHash } from "node:crypto";
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";

export type ReceivedRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: string };

export type EchoBackend = {
  url: string;
  port: number;
  /** Every request received since start (or the last reset), oldest first (the last 1,000). */
  readonly requests: ReceivedRequest[];
  /** How many requests arrived since start (or the last reset). */
  count(): number;
  reset(): void;
  close(): Promise<void>;
};

const CREATED = 1_700_000_000;
const MAX_DELAY_MS = 120_000;

export function countTokens(text: string): number {
  const trimmed = text.trim();
  return trimmed ? trimmed.split(/\s+/).length : 0;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (typeof p === "string" ? p : typeof p?.text === "string" ? p.text : ""))
      .filter(Boolean)
      .join(" ");
  }
  return "";
}

/** Unit-length vector of `dims` floats derived from sha256 of the text: same text, same vector. */
export function embed(text: string, dims: number): number[] {
  const values: number[] = [];
  for (let block = 0; values.length < dims; block++) {
    const digest = createHash("sha256").update(`${block}:${text}`).digest();
    for (let i = 0; i + 1 < digest.length && values.length < dims; i += 2) values.push(digest.readUInt16BE(i) / 32767.5 - 1);
  }
  const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0)) || 1;
  return values.map((v) => v / norm);
}

function base64Floats(values: number[]): string {
  const buf = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf.toString("base64");
}

type Json = Record<string, unknown>;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

function usage(prompt: number, completion: number) {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function chat(body: Json, res: ServerResponse, n: number): void {
  const messages = Array.isArray(body.messages) ? (body.messages as Json[]) : [];
  const lastUser = [...messages].reverse().find((m) => m.role === "user");
  const reply = textOf(lastUser?.content);
  const prompt = messages.reduce((s, m) => s + countTokens(textOf(m.content)), 0);
  const model = String(body.model ?? "echo");
  const id = `chatcmpl-echo-${n}`;
  if (body.stream === true) {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const chunk = (delta: Json, finish: string | null, extra: Json = {}) =>
      res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: CREATED, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`);
    chunk({ role: "assistant", content: "" }, null);
    reply.split(/(\s+)/).filter(Boolean).forEach((part) => chunk({ content: part }, null));
    chunk({}, "stop");
    if ((body.stream_options as Json | undefined)?.include_usage === true) {
      res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: CREATED, model, choices: [], usage: usage(prompt, countTokens(reply)) })}\n\n`);
    }
    res.end("data: [DONE]\n\n");
    return;
  }
  send(res, 200, {
    id,
    object: "chat.completion",
    created: CREATED,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: reply }, finish_reason: "stop", logprobs: null }],
    usage: usage(prompt, countTokens(reply)),
  });
}

function completion(body: Json, res: ServerResponse, n: number): void {
  const prompt = Array.isArray(body.prompt) ? String(body.prompt[0] ?? "") : String(body.prompt ?? "");
  send(res, 200, {
    id: `cmpl-echo-${n}`,
    object: "text_completion",
    created: CREATED,
    model: String(body.model ?? "echo"),
    choices: [{ index: 0, text: prompt, finish_reason: "stop", logprobs: null }],
    usage: usage(countTokens(prompt), countTokens(prompt)),
  });
}

function embeddings(body: Json, res: ServerResponse): void {
  const inputs = Array.isArray(body.input) ? body.input.map((i) => (typeof i === "string" ? i : JSON.stringify(i))) : [String(body.input ?? "")];
  const dims = Number.isInteger(body.dimensions) && (body.dimensions as number) > 0 ? Math.min(body.dimensions as number, 4096) : 16;
  const base64 = body.encoding_format === "base64";
  const prompt = inputs.reduce((s, t) => s + countTokens(t), 0);
  send(res, 200, {
    object: "list",
    model: String(body.model ?? "echo"),
    data: inputs.map((text, index) => {
      const vector = embed(text, dims);
      return { object: "embedding", index, embedding: base64 ? base64Floats(vector) : vector };
    }),
    usage: { prompt_tokens: prompt, total_tokens: prompt },
  });
}

function kserveInfer(name: string, version: string | undefined, body: Json, res: ServerResponse): void {
  const inputs = Array.isArray(body.inputs) ? (body.inputs as Json[]) : [];
  send(res, 200, {
    model_name: name,
    ...(version ? { model_version: version } : {}),
    ...(body.id ? { id: body.id } : {}),
    outputs: inputs.map((i) => ({ name: `${String(i.name)}_echo`, shape: i.shape, datatype: i.datatype, data: i.data })),
  });
}

function kserveMetadata(name: string, res: ServerResponse): void {
  const tensor = { name: "input", datatype: "BYTES", shape: [-1] };
  send(res, 200, { name, versions: ["1"], platform: "modelgate-echo", inputs: [tensor], outputs: [{ ...tensor, name: "input_echo" }] });
}

const KSERVE = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/infer)?$/;

function route(req: IncomingMessage, res: ServerResponse, path: string, raw: string, n: number): void {
  let body: Json = {};
  if (req.method === "POST") {
    try {
      body = JSON.parse(raw) as Json;
    } catch {
      send(res, 400, { error: { message: "body is not JSON", type: "invalid_request_error" } });
      return;
    }
  }
  const post = req.method === "POST";
  if (post && path === "/v1/chat/completions") return chat(body, res, n);
  if (post && path === "/v1/completions") return completion(body, res, n);
  if (post && path === "/v1/embeddings") return embeddings(body, res);
  if (!post && path === "/v1/models") {
    return send(res, 200, { object: "list", data: [{ id: "echo", object: "model", created: CREATED, owned_by: "modelgate" }] });
  }
  if (!post && (path === "/healthz" || path === "/v2/health/ready" || path === "/v2/health/live")) return send(res, 200, { ready: true });
  const k = KSERVE.exec(path);
  if (k) {
    const name = decodeURIComponent(k[1]!);
    const version = k[2] ? decodeURIComponent(k[2]) : undefined;
    if (post && k[3]) return kserveInfer(name, version, body, res);
    if (!post && !k[3] && !version) return kserveMetadata(name, res);
  }
  send(res, 404, { error: { message: `no route ${req.method} ${path}`, type: "invalid_request_error" } });
}

export async function startEchoBackend(port = 0, host = "127.0.0.1"): Promise<EchoBackend> {
  const requests: ReceivedRequest[] = [];
  let count = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const n = ++count;
      const path = (req.url ?? "/").split("?")[0]!;
      const raw = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method ?? "GET", path, headers: req.headers, body: raw });
      if (requests.length > 1_000) requests.shift();
      const delay = Math.min(Number(req.headers["x-echo-delay-ms"] ?? 0) || 0, MAX_DELAY_MS);
      const answer = () => {
        if (!res.destroyed) route(req, res, path, raw, n);
      };
      if (delay > 0) {
        const timer = setTimeout(answer, delay);
        res.once("close", () => clearTimeout(timer));
      } else answer();
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    requests,
    count: () => count,
    reset() {
      count = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.ECHO_BACKEND_PORT ?? 8090);
  const backend = await startEchoBackend(port);
  console.log(`echo backend listening on ${backend.url} (OpenAI base ${backend.url}/v1, KServe root ${backend.url})`);
  const stop = () => void backend.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
