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

  // Every secret-bearing field, at the top level and one level down (what a
  // handler logs: `{ body }`, `{ user }`, `{ input }`), each with its own value
  // so a single leak names itself.
  const SECRET_FIELDS = [
    "password", "passwordHash", "currentPassword", "newPassword", "secret", "token", "key", "apiKey",
    "totp", "totpCode", "otp", "mfaCode", "recoveryCode", "recoveryCodes", "authorization", "cookie", "clientSecret", "privateKey",
  ];
  it.each(SECRET_FIELDS)("redacts %s wherever it is logged", (field) => {
    const { lines, logger } = capture();
    const value = `leak-${field}-${Math.random().toString(36).slice(2)}`;
    withContext(logger, { tenantId: "t-1", requestId: "r-1", actor: "user:u-1" }).info({ [field]: value, body: { [field]: value, keep: "visible" } }, "event");
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain(value);
    expect(lines[0]).toMatchObject({ [field]: "[redacted]", body: { [field]: "[redacted]", keep: "visible" }, tenant_id: "t-1", request_id: "r-1", actor: "user:u-1" });
  });

  it.each(["authorization", "cookie", "x-api-key"])("redacts the %s request header", (header) => {
    const { lines, logger } = capture();
    const value = `Bearer mgk_${Math.random().toString(36).slice(2)}`;
    logger.info({ req: { method: "POST", headers: { [header]: value, "user-agent": "curl/8" } } }, "request");
    expect(JSON.stringify(lines[0])).not.toContain(value);
    expect(lines[0]).toMatchObject({ req: { headers: { "user-agent": "curl/8" } } });
  });
});
