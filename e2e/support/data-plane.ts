import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { startEchoBackend, type EchoBackend } from "../../scripts/echo-backend";
import { testEnv } from "../../test/test-env";

/**
 * The data plane for a browser test that needs real traffic: the echo model
 * backend (in this process), the gateway (gateway/main.ts) and the workers
 * (workers/main.ts: they store what the gateway records, e.g. usage) as child
 * processes on the test database and Redis. The console under test
 * (playwright.config.ts) reads what they wrote.
 */
export type DataPlane = { gatewayUrl: string; echo: EchoBackend; stop(): Promise<void> };

const ROOT = path.resolve(import.meta.dirname, "../..");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function startTs(script: string, env: Record<string, string>): { proc: ChildProcess; output: () => string } {
  const proc = spawn(process.execPath, ["--import", "tsx", script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let tail = "";
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4_000));
  proc.stdout!.on("data", keep);
  proc.stderr!.on("data", keep);
  return { proc, output: () => tail };
}

async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once("exit", r));
  proc.kill("SIGTERM");
  const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function startDataPlane(): Promise<DataPlane> {
  const echo = await startEchoBackend(0);
  const env = testEnv();
  const gatewayPort = await freePort();
  const common = { ...env, LOG_LEVEL: "warn", ECHO_BACKEND_PORT: String(echo.port) };
  const gateway = startTs("gateway/main.ts", { ...common, GATEWAY_PORT: String(gatewayPort), GATEWAY_ADMIN_PORT: String(await freePort()) });
  const workers = startTs("workers/main.ts", common);
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const stop = async () => {
    await Promise.all([stopChild(gateway.proc), stopChild(workers.proc)]);
    await echo.close();
  };
  const deadline = Date.now() + 45_000;
  for (;;) {
    if (gateway.proc.exitCode !== null) {
      await stop();
      throw new Error(`the gateway exited: ${gateway.output()}`);
    }
    const ready = await fetch(`${gatewayUrl}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the gateway did not become ready: ${gateway.output()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { gatewayUrl, echo, stop };
}
