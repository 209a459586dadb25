import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { periodAt } from "../lib/quotas/period";
import { quotaCounterKey, readQuotaCounter } from "../lib/quotas/quota-counter";
import { setTenantQuota } from "../lib/quotas/set-quota";
import { createRedis } from "../lib/redis/connection";
import { closeSharedRedis } from "../lib/redis/shared";
import { testEnv } from "../test/test-env";
import { addModel, call, chatBody, closeFixture, newKey, newTenant, openFixture, type Fixture } from "./test-support";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

type Child = { proc: ChildProcess; url: string; output: () => string };

/** A real gateway process (gateway/main.ts) on the test database and Redis. */
async function startGatewayProcess(): Promise<Child> {
  const port = await freePort();
  const proc = spawn(process.execPath, ["--import", "tsx", "gateway/main.ts"], {
    env: { ...process.env, ...testEnv(), LOG_LEVEL: "warn", GATEWAY_PORT: String(port), GATEWAY_ADMIN_PORT: String(await freePort()) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  const keep = (c: Buffer) => (tail = (tail + c.toString()).slice(-4000));
  proc.stdout!.on("data", keep);
  proc.stderr!.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 45_000;
  while (!(await fetch(`${url}/readyz`).then((r) => r.ok, () => false))) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`gateway process did not start: ${tail}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { proc, url, output: () => tail };
}

async function stop(child: Child | undefined): Promise<void> {
  if (!child || child.proc.exitCode !== null) return;
  const exited = new Promise((r) => child.proc.once("exit", r));
  child.proc.kill("SIGTERM");
  await exited;
}

describe("hard request quota across two gateway processes", { timeout: 120_000 }, () => {
  let f: Fixture;
  let a: Child | undefined;
  let b: Child | undefined;

  beforeAll(async () => {
    f = await openFixture();
    [a, b] = await Promise.all([startGatewayProcess(), startGatewayProcess()]);
  });
  afterAll(async () => {
    await Promise.all([stop(a), stop(b)]);
    await closeFixture(f);
    await closeSharedRedis();
  });

  it("quota 100, 200 concurrent requests split over both: at most 100 admitted, at least 95; the counter agrees", async () => {
    const tenantId = await newTenant(f.su, "quota-procs");
    await addModel(f.db, tenantId, { name: "echo", backendUrl: `${f.echo.url}/v1`, maxConcurrency: 1000 });
    await setTenantQuota(tenantId, { period: "day", requests: { limit: 100, hard: true } }, { actor: { type: "system", id: "test" } }, f.db);
    const { secret } = await newKey(f.db, tenantId);
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => call(i % 2 ? a!.url : b!.url, "/v1/chat/completions", { key: secret, body: chatBody("echo") })),
    );
    const admitted = replies.filter((r) => r.status === 200).length;
    const codes = new Set(replies.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.body.error?.code}`));
    expect(admitted).toBeLessThanOrEqual(100);
    expect(admitted).toBeGreaterThanOrEqual(95);
    expect([...codes]).toEqual(["429 quota_exceeded"]);

    // Both processes report their counts within a sync interval (500 ms).
    const redis = createRedis({ connectionName: "quota-procs-test" });
    const key = quotaCounterKey(tenantId, "day", periodAt("day", "UTC", new Date()).key);
    await expect.poll(async () => (await readQuotaCounter(redis, key)).requests, { timeout: 5_000 }).toBe(admitted);
    await redis.quit();
  });
});
