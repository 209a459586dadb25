import { readFileSync } from "node:fs";
import { z } from "zod";
import ipaddr from "ipaddr.js";
import { readLocalSecrets, type LocalSecrets } from "./local-secrets";
import { parseSinkConfigs } from "../log-shipping/sink-config";

function isCidrOrAddress(text: string): boolean {
  const addr = text.split("/")[0]!;
  const strict = ipaddr.IPv4.isValidFourPartDecimal(addr) || ipaddr.IPv6.isValid(addr);
  return strict && (text.includes("/") ? ipaddr.isValidCIDR(text) : true);
}

const port = z.coerce
  .number({ message: "an integer port 1-65535" })
  .int("an integer port 1-65535")
  .min(1, "an integer port 1-65535")
  .max(65535, "an integer port 1-65535");

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/.+/, "a postgresql:// connection URL");

const base64Bytes = (bytes: number) =>
  z
    .string()
    .refine(
      (v) => Buffer.from(v, "base64").length === bytes,
      `base64 of exactly ${bytes} random bytes (openssl rand -base64 ${bytes})`,
    );

/**
 * Every setting the processes read, with its default. Parsed once per process
 * at start-up; a bad value stops the process with one line naming it.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: postgresUrl.default("postgresql://modelgate_app@127.0.0.1:5432/modelgate"),
  MIGRATION_DATABASE_URL: postgresUrl.default("postgresql://postgres@127.0.0.1:5432/modelgate"),
  /**
   * What audit retention (lib/audit/prune.ts) connects as: the role
   * modelgate_retention, the only one the audit triggers let delete. Unset:
   * DATABASE_URL with the user modelgate_retention and no password.
   */
  RETENTION_DATABASE_URL: postgresUrl,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, "a redis:// or rediss:// URL")
    .default("redis://127.0.0.1:6379/0"),
  WEB_PORT: port.default(3000),
  GATEWAY_PORT: port.default(8080),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  GATEWAY_HOST: z.string().min(1).default("127.0.0.1"),
  GATEWAY_ADMIN_PORT: port.default(9464),
  GATEWAY_ADMIN_HOST: z.string().min(1).default("127.0.0.1"),
  GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(67_108_864).default(67_108_864),
  GATEWAY_UPSTREAM_CONNECTIONS: z.coerce.number().int().min(1).max(4096).default(128),
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .refine((v) => v.split(/[\s,]+/).filter(Boolean).every(isCidrOrAddress), "a comma-separated list of IPv4/IPv6 addresses or CIDRs"),
  ECHO_BACKEND_PORT: port.default(8090),
  /**
   * CIDRs of private/loopback addresses model backends may use (SSRF guard,
   * lib/models/backend-url-guard.ts). Unset: "127.0.0.1/32,::1/128" outside
   * production (the echo backend), none in production. Link-local and cloud
   * metadata addresses stay refused whatever this says.
   */
  BACKEND_ALLOWED_CIDRS: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.split(/[\s,]+/).filter(Boolean).every((c) => c.includes("/") && isCidrOrAddress(c)), "a comma-separated list of IPv4/IPv6 CIDRs"),
  PUBLIC_URL: z.url("an absolute http(s) URL of the console").default("http://localhost:3000"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info"),
  SESSION_SECRET: z.string().min(32, "at least 32 characters of random text"),
  MASTER_KEY: base64Bytes(32),
  /** A file holding MASTER_KEY (base64), instead of the variable (e.g. a mounted secret). */
  MASTER_KEY_FILE: z.string().min(1).optional(),
  /**
   * Master keys being rotated out, comma-separated base64: data keys wrapped by
   * them still open until `mg crypto rewrap` has re-wrapped them (README).
   */
  MASTER_KEY_PREVIOUS: z
    .string()
    .default("")
    .refine((v) => v.split(/[\s,]+/).filter(Boolean).every((k) => Buffer.from(k, "base64").length === 32), "a comma-separated list of base64 32-byte keys"),
  AUDIT_SIGNING_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/=]+$/, "base64 of an Ed25519 private key in PKCS#8 DER"),
  /**
   * Public keys of signing keys rotated out (comma-separated base64 SPKI DER):
   * checkpoints they signed still verify (lib/audit/signing-key.ts).
   */
  AUDIT_PREVIOUS_PUBLIC_KEYS: z
    .string()
    .default("")
    .refine((v) => v.split(/[\s,]+/).filter(Boolean).every((k) => /^[A-Za-z0-9+/=]+$/.test(k)), "a comma-separated list of base64 Ed25519 public keys (SPKI DER)"),
  /** How long an MFA verification lets a session perform sensitive actions. */
  STEP_UP_WINDOW_SECONDS: z.coerce.number().int().min(30).max(86_400).default(600),
  /** Usage worker: stream entries read (and stored in one transaction per tenant) per batch. */
  USAGE_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Usage worker: a batch another consumer read but did not acknowledge for this long is taken over. */
  USAGE_CLAIM_IDLE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /** Quotas (lib/quotas): most request permits a gateway leases from Redis at once. */
  QUOTA_LEASE_SIZE: z.coerce.number().int().min(1).max(10_000).default(50),
  /** Quotas: how often a gateway reports counted requests and tokens to Redis (and refreshes its view). */
  QUOTA_SYNC_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  /** OpenID Connect sign-in: all three of issuer, client id and secret, or none. */
  OIDC_ISSUER: z.url("an absolute http(s) URL of the OpenID Connect issuer").optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** What the sign-in button calls the provider ("Sign in with <OIDC_NAME>"). */
  OIDC_NAME: z.string().min(1).max(60).default("Single sign-on"),
  /** Retention (lib/retention): the shortest a tenant may keep its audit trail, in days. */
  AUDIT_MIN_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  /** Rows the retention worker deletes per statement (one short transaction each). */
  RETENTION_BATCH_SIZE: z.coerce.number().int().min(100).max(100_000).default(2_000),
  /** Pause between two retention batches (ms): trades delete rate for less load on a shared database. */
  RETENTION_BATCH_PAUSE_MS: z.coerce.number().int().min(0).max(60_000).default(8),
  /** When the retention job runs (cron, UTC): by default daily at 03:17. */
  RETENTION_CRON: z
    .string()
    .regex(/^\S+( \S+){4,5}$/, "a cron pattern of 5 or 6 fields")
    .default("17 3 * * *"),
  /** Central log sinks (lib/log-shipping/sink-config.ts): a JSON array; unset ships nothing. Never echoed. */
  LOG_SINKS: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      try {
        parseSinkConfigs(v);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
      }
    }),
  /** Pause between shipping runs of a sink that is caught up. */
  LOG_SHIP_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** Records per tenant and stream in one request to a sink. */
  LOG_SHIP_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(500),
  /** Security events are shipped once this old (they reach the database asynchronously). */
  LOG_SHIP_SECURITY_SETTLE_SECONDS: z.coerce.number().int().min(0).max(3_600).default(90),
});

const EXPECTS: Record<string, string> = {
  GATEWAY_MAX_BODY_BYTES: "an integer 1024-67108864",
  GATEWAY_UPSTREAM_CONNECTIONS: "an integer 1-4096",
  NODE_ENV: "one of development, production, test",
  DATABASE_POOL_SIZE: "an integer 1-200",
  WORKER_CONCURRENCY: "an integer 1-64",
  LOG_LEVEL: "one of fatal, error, warn, info, debug, trace, silent",
  SESSION_SECRET: "at least 32 characters of random text",
  MASTER_KEY: "base64 of exactly 32 random bytes (openssl rand -base64 32)",
  AUDIT_SIGNING_KEY: "base64 of an Ed25519 private key in PKCS#8 DER",
  STEP_UP_WINDOW_SECONDS: "an integer number of seconds 30-86400",
  USAGE_BATCH_SIZE: "an integer 1-10000",
  USAGE_CLAIM_IDLE_MS: "an integer number of milliseconds 1000-3600000",
  QUOTA_LEASE_SIZE: "an integer 1-10000",
  QUOTA_SYNC_INTERVAL_MS: "an integer number of milliseconds 50-60000",
  AUDIT_MIN_RETENTION_DAYS: "an integer number of days 1-3650",
  RETENTION_BATCH_SIZE: "an integer 100-100000",
  RETENTION_BATCH_PAUSE_MS: "an integer number of milliseconds 0-60000",
  LOG_SHIP_INTERVAL_MS: "an integer number of milliseconds 100-600000",
  LOG_SHIP_BATCH_SIZE: "an integer 1-5000",
  LOG_SHIP_SECURITY_SETTLE_SECONDS: "an integer number of seconds 0-3600",
};

export type AppConfig = z.infer<typeof envSchema>;

/** Outside production, model backends on this machine (the echo backend) are allowed. */
export const DEV_BACKEND_ALLOWED_CIDRS = "127.0.0.1/32,::1/128";

export const SECRET_SETTINGS = ["SESSION_SECRET", "MASTER_KEY", "AUDIT_SIGNING_KEY"] as const;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * Reads the configuration from `env`. Outside production, secrets that are not
 * set come from (or are generated into) the git-ignored local secrets file.
 */
export function parseConfig(
  env: Record<string, string | undefined> = process.env,
  localSecrets: () => LocalSecrets = readLocalSecrets,
): AppConfig {
  const input: Record<string, string | undefined> = { ...env };
  for (const key of Object.keys(input)) if (input[key] === "") delete input[key];
  const production = input.NODE_ENV === "production";
  if (input.MASTER_KEY_FILE !== undefined) {
    if (input.MASTER_KEY !== undefined) throw new ConfigError("MASTER_KEY and MASTER_KEY_FILE are both set: set one of them");
    input.MASTER_KEY = readKeyFile(input.MASTER_KEY_FILE);
  }
  if (!production && SECRET_SETTINGS.some((k) => input[k] === undefined)) {
    const local = localSecrets();
    for (const k of SECRET_SETTINGS) input[k] ??= local[k];
  }
  if (!production) input.BACKEND_ALLOWED_CIDRS ??= DEV_BACKEND_ALLOWED_CIDRS;
  input.RETENTION_DATABASE_URL ??= roleUrl(input.DATABASE_URL ?? "postgresql://modelgate_app@127.0.0.1:5432/modelgate", RETENTION_ROLE);
  const parsed = envSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0] ?? "environment");
  const got = input[name];
  const expected = issue.message.startsWith("Invalid") ? (EXPECTS[name] ?? issue.message) : issue.message;
  if (got === undefined) throw new ConfigError(`${name} is not set: expected ${expected}`);
  const shown = [...SECRET_SETTINGS, "MASTER_KEY_PREVIOUS", "LOG_SINKS"].includes(name) ? "(hidden)" : JSON.stringify(got);
  throw new ConfigError(`${name} is invalid: expected ${expected} (got ${shown})`);
}

/** The role audit retention connects as (migration 20261126050000_retention_role). */
export const RETENTION_ROLE = "modelgate_retention";

/** `url` with another user and no password (a malformed URL is left to the schema to report). */
function roleUrl(url: string, user: string): string {
  try {
    const u = new URL(url);
    u.username = user;
    u.password = "";
    return u.toString();
  } catch {
    return url;
  }
}

function readKeyFile(file: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch (err) {
    throw new ConfigError(`MASTER_KEY_FILE is invalid: cannot read ${JSON.stringify(file)} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
}

let cached: AppConfig | undefined;

/** The process's configuration, parsed on first use. */
export function getConfig(): AppConfig {
  cached ??= parseConfig();
  return cached;
}

/** For a process entry point: parse, or print the one-line reason and exit. */
export function loadConfigOrExit(): AppConfig {
  try {
    return getConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`modelgate: configuration error: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
