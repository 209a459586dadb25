/**
 * The model backend of the benchmark, as its own process. It runs the dev
 * tooling's echo backend (scripts/echo-backend.ts, `startEchoBackend(port)`)
 * when that exists, else the minimal keep-alive JSON responder below, which
 * answers every POST with a fixed OpenAI-style chat completion.
 *
 *   BENCH_BACKEND_PORT=8091 node --import tsx bench/echo-backend.ts
 */
import { existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";

export const SHARED_ECHO_BACKEND = path.resolve(import.meta.dirname, "../scripts/echo-backend.ts");

const COMPLETION = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 0,
  model: "echo",
  choices: [{ index: 0, message: { role: "assistant", content: "hello" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

export function startFallbackEchoBackend(port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(COMPLETION) });
      res.end(COMPLETION);
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const port = Number(process.env.BENCH_BACKEND_PORT);
  if (!port) throw new Error("BENCH_BACKEND_PORT is required");
  if (existsSync(SHARED_ECHO_BACKEND)) {
    const shared = (await import(pathToFileURL(SHARED_ECHO_BACKEND).href)) as { startEchoBackend(port: number): unknown };
    await shared.startEchoBackend(port);
  } else {
    await startFallbackEchoBackend(port);
  }
  process.on("SIGTERM", () => process.exit(0));
}
