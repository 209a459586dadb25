import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./env";
import { generateSecrets } from "./local-secrets";

const secrets = generateSecrets();
const noLocal = () => {
  throw new Error("local secrets must not be read");
};

describe("parseConfig", () => {
  it("applies documented defaults", () => {
    const c = parseConfig({ ...secrets }, noLocal);
    expect(c.WEB_PORT).toBe(3000);
    expect(c.GATEWAY_PORT).toBe(8080);
    expect(c.DATABASE_URL).toBe("postgresql://modelgate_app@127.0.0.1:5432/modelgate");
    expect(c.REDIS_URL).toBe("redis://127.0.0.1:6379/0");
  });

  it("names the malformed variable and what it expects, in one line", () => {
    expect(() => parseConfig({ ...secrets, GATEWAY_PORT: "eighty" }, noLocal)).toThrow(
      new ConfigError('GATEWAY_PORT is invalid: expected an integer port 1-65535 (got "eighty")'),
    );
    expect(() => parseConfig({ ...secrets, REDIS_URL: "localhost:6379" }, noLocal)).toThrow(
      /^REDIS_URL is invalid: expected a redis:\/\/ or rediss:\/\/ URL/,
    );
  });

  it("never echoes a secret's value in the error", () => {
    let message = "";
    try {
      parseConfig({ ...secrets, MASTER_KEY: "c2hvcnQ=" }, noLocal);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe("MASTER_KEY is invalid: expected base64 of exactly 32 random bytes (openssl rand -base64 32) (got (hidden))");
  });

  it("in production, a missing secret stops start-up instead of being generated", () => {
    expect(() => parseConfig({ NODE_ENV: "production", MASTER_KEY: secrets.MASTER_KEY, AUDIT_SIGNING_KEY: secrets.AUDIT_SIGNING_KEY }, noLocal)).toThrow(
      "SESSION_SECRET is not set: expected at least 32 characters of random text",
    );
  });

  it("outside production, missing secrets come from the local secrets file", () => {
    const c = parseConfig({ NODE_ENV: "development" }, () => secrets);
    expect(c.MASTER_KEY).toBe(secrets.MASTER_KEY);
  });
});
