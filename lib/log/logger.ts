import pino, { type Logger } from "pino";

/**
 * Paths whose values never reach a log line. Keys, passwords, TOTP codes and
 * secrets are removed wherever they appear in a logged object (one level of
 * nesting under any key, plus request headers).
 */
export const REDACT_PATHS = [
  "password",
  "passwordHash",
  "secret",
  "token",
  "key",
  "apiKey",
  "totp",
  "otp",
  "mfaCode",
  "recoveryCode",
  "authorization",
  "cookie",
  "currentPassword",
  "newPassword",
  "totpCode",
  "recoveryCodes",
  "clientSecret",
  "privateKey",
  "*.currentPassword",
  "*.newPassword",
  "*.totpCode",
  "*.recoveryCodes",
  "*.clientSecret",
  "*.privateKey",
  "*.key",
  "*.password",
  "*.passwordHash",
  "*.secret",
  "*.token",
  "*.apiKey",
  "*.totp",
  "*.otp",
  "*.mfaCode",
  "*.recoveryCode",
  "*.authorization",
  "*.cookie",
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-api-key"]',
  "headers.authorization",
  "headers.cookie",
];

export type LogContext = {
  tenantId?: string;
  requestId?: string;
  actor?: string;
};

export function createLogger(
  name: string,
  opts: { level?: string; destination?: pino.DestinationStream } = {},
): Logger {
  return pino(
    {
      name,
      level: opts.level ?? process.env.LOG_LEVEL ?? "info",
      base: { service: name },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    opts.destination,
  );
}

/** A child logger bound to the tenant, request and actor of one unit of work. */
export function withContext(logger: Logger, ctx: LogContext): Logger {
  const bindings: Record<string, string> = {};
  if (ctx.tenantId) bindings.tenant_id = ctx.tenantId;
  if (ctx.requestId) bindings.request_id = ctx.requestId;
  if (ctx.actor) bindings.actor = ctx.actor;
  return logger.child(bindings);
}
