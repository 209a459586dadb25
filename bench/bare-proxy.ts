/**
 * The baseline of the benchmark: a keep-alive Node reverse proxy with no checks
 * at all (node:http in, undici Pool out), i.e. the floor any Node gateway
 * pays. Hop-by-hop headers are dropped; everything else passes through.
 *
 *   BENCH_PROXY_PORT=8092 BENCH_UPSTREAM=http://127.0.0.1:8091 node --import tsx bench/bare-proxy.ts
 */
import http from "node:http";
import { Pool } from "undici";

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer", "host"]);

const port = Number(process.env.BENCH_PROXY_PORT);
const upstream = process.env.BENCH_UPSTREAM;
if (!port || !upstream) throw new Error("BENCH_PROXY_PORT and BENCH_UPSTREAM are required");
const pool = new Pool(upstream, { connections: 128, pipelining: 1 });

function forwardHeaders(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (!HOP_BY_HOP.has(name)) out[name] = raw[i + 1]!;
  }
  return out;
}

const server = http.createServer(async (req, res) => {
  try {
    const upstreamRes = await pool.request({
      method: req.method as "GET" | "POST",
      path: req.url ?? "/",
      headers: forwardHeaders(req.rawHeaders),
      body: req.method === "GET" || req.method === "HEAD" ? undefined : req,
    });
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(upstreamRes.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    res.writeHead(upstreamRes.statusCode, headers);
    for await (const chunk of upstreamRes.body) res.write(chunk);
    res.end();
  } catch {
    if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
    res.end('{"error":{"code":"bad_gateway"}}');
  }
});
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1");
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void pool.close().finally(() => process.exit(0));
});
