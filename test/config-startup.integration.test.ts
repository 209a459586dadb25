import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { testEnv } from "./test-env";

const run = promisify(execFile);

async function start(entry: string, env: Record<string, string>) {
  try {
    const r = await run("node_modules/.bin/tsx", [entry], { env: { ...process.env, ...testEnv(), ...env }, timeout: 30_000 });
    return { code: 0, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe("start-up configuration", { timeout: 60_000 }, () => {
  it.each(["gateway/main.ts", "workers/main.ts"])("%s stops with one line naming a malformed setting", async (entry) => {
    const r = await start(entry, { GATEWAY_PORT: "eighty", REDIS_URL: "redis://127.0.0.1:6379/1" });
    expect(r.code).toBe(78);
    expect(r.stderr.trim().split("\n")).toEqual([
      'modelgate: configuration error: GATEWAY_PORT is invalid: expected an integer port 1-65535 (got "eighty")',
    ]);
  });

  it("in production a missing secret stops the process instead of being generated", async () => {
    const r = await start("workers/main.ts", { NODE_ENV: "production", SESSION_SECRET: "", MASTER_KEY: "", AUDIT_SIGNING_KEY: "" });
    expect(r.code).toBe(78);
    expect(r.stderr.trim()).toBe("modelgate: configuration error: SESSION_SECRET is not set: expected at least 32 characters of random text");
  });
});
