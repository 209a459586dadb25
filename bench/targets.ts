/** How each benchmark target is started; every target answers POST /v1/chat/completions. */
import { existsSync } from "node:fs";
import { request } from "undici";
import { parseConfig } from "../lib/config/env";
import { benchDatabaseUrls } from "./bench-db";
import { hasNginx, startNginx } from "./nginx";
import { freePort, startTs, waitForHttp, type Child } from "./processes";

export const PATH = "/v1/chat/completions";
export const BODY = JSON.stringify({ model: "echo", messages: [{ role: "user", content: "hello" }] });
/** Where the targets run when taskset exists; the load generator gets CPU 0. */
const SERVER_CPU = "1";

export type Target = { name: string; url: string; child?: Child };
export type TargetContext = { dir: string; backendPort: number; redisUrl: string; headers: Record<string, string>; notes: string[] };

export function startBackend(port: number): Child {
  return startTs("echo backend", "bench/echo-backend.ts", { cpu: SERVER_CPU, env: { BENCH_BACKEND_PORT: String(port) } });
}

async function probe(url: string, headers: Record<string, string>): Promise<string> {
  const res = await request(url + PATH, { method: "POST", headers, body: BODY, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const text = await res.body.text();
  if (res.statusCode === 200) return "200";
  const code = /"code"\s*:\s*"([^"]+)"/.exec(text)?.[1];
  return `${res.statusCode}${code ? ` ${code}` : ""}`;
}

export const TARGETS: { key: string; start(ctx: TargetContext): Promise<Target | undefined> }[] = [
  { key: "direct", start: async (ctx) => ({ name: "direct", url: `http://127.0.0.1:${ctx.backendPort}` }) },
  {
    key: "nginx",
    async start(ctx) {
      if (!hasNginx()) {
        ctx.notes.push("nginx: skipped (/usr/sbin/nginx not found)");
        return undefined;
      }
      const port = await freePort();
      const child = startNginx(ctx.dir, port, ctx.backendPort, SERVER_CPU);
      await waitForHttp(child, `http://127.0.0.1:${port}/`);
      return { name: "nginx", url: `http://127.0.0.1:${port}`, child };
    },
  },
  {
    key: "bare",
    async start(ctx) {
      const port = await freePort();
      const env = { BENCH_PROXY_PORT: String(port), BENCH_UPSTREAM: `http://127.0.0.1:${ctx.backendPort}` };
      const child = startTs("bare proxy", "bench/bare-proxy.ts", { cpu: SERVER_CPU, env });
      await waitForHttp(child, `http://127.0.0.1:${port}/`);
      return { name: "bare proxy", url: `http://127.0.0.1:${port}`, child };
    },
  },
  {
    key: "gateway",
    async start(ctx) {
      if (!existsSync("gateway/main.ts")) throw new Error("gateway/main.ts not found");
      const [port, adminPort] = [await freePort(), await freePort()];
      // Production mode, with this checkout's local development secrets.
      const secrets = parseConfig({ ...process.env, NODE_ENV: "development" });
      const urls = benchDatabaseUrls();
      const child = startTs("gateway", "gateway/main.ts", {
        cpu: SERVER_CPU,
        nodeArgs: process.env.BENCH_GATEWAY_NODE_ARGS?.split(" ").filter(Boolean),
        env: {
          NODE_ENV: "production",
          DATABASE_URL: urls.app,
          MIGRATION_DATABASE_URL: urls.migration,
          REDIS_URL: ctx.redisUrl,
          GATEWAY_HOST: "127.0.0.1",
          GATEWAY_PORT: String(port),
          GATEWAY_ADMIN_PORT: String(adminPort),
          LOG_LEVEL: process.env.BENCH_GATEWAY_LOG_LEVEL ?? "warn",
          SESSION_SECRET: secrets.SESSION_SECRET,
          MASTER_KEY: secrets.MASTER_KEY,
          AUDIT_SIGNING_KEY: secrets.AUDIT_SIGNING_KEY,
          // The bench's backend runs on this machine; production refuses loopback otherwise (SSRF guard).
          BACKEND_ALLOWED_CIDRS: "127.0.0.1/32,::1/128",
        },
      });
      const url = `http://127.0.0.1:${port}`;
      await waitForHttp(child, `${url}/healthz`);
      const status = await probe(url, ctx.headers);
      ctx.notes.push(
        status === "200"
          ? "gateway: full policy; the bench key is accepted and forwarded (probe 200)"
          : `gateway: the probe was answered ${status}, NOT 200: the gateway rows measure that answer, not a forwarded request`,
      );
      return { name: "gateway", url, child };
    },
  },
];
