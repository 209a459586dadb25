import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, withContext } from "./logger";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()));
      cb();
    },
  });
  return { lines, logger: createLogger("test", { level: "info", destination }) };
}

describe("logger", () => {
  it("writes JSON lines with service, tenant, request and actor", () => {
    const { lines, logger } = capture();
    withContext(logger, { tenantId: "t-1", requestId: "r-1", actor: "user:u-1" }).info({ route: "/x" }, "hello");
    expect(lines[0]).toMatchObject({ service: "test", level: "info", tenant_id: "t-1", request_id: "r-1", actor: "user:u-1", route: "/x", msg: "hello" });
  });

  it("redacts secrets, keys, passwords and TOTP codes wherever they are logged", () => {
    const { lines, logger } = capture();
    const secret = "mg_live_s3cr3t-value";
    logger.info(
      {
        password: secret,
        key: secret,
        mfaCode: "123456",
        code: "not_found",
        user: { password: secret, passwordHash: secret, totp: "654321" },
        req: { headers: { authorization: `Bearer ${secret}`, cookie: `session=${secret}`, "x-api-key": secret } },
        backend: { token: secret, secret },
      },
      "sign-in",
    );
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain(secret);
    expect(text).not.toContain("123456");
    expect(text).not.toContain("654321");
    expect(lines[0]).toMatchObject({ password: "[redacted]", user: { password: "[redacted]" }, code: "not_found" });
  });
});
