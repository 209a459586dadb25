import { readFileSync } from "node:fs";
import { z } from "zod";

/**
 * Central log sinks, configured by the platform operator in `LOG_SINKS` (a JSON
 * array). The name keys each sink's shipping cursors: renaming a sink starts it
 * over from the first entry. Secrets (Splunk token, Elasticsearch API key) are
 * never logged, and a configuration error names the field, never its value.
 */
const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "a sink name: lower-case letters, digits, - and _ (max 63)");

const httpUrl = z
  .url("an absolute http(s) URL")
  .refine((u) => /^https?:\/\//.test(u), "an http:// or https:// URL")
  .transform((u) => u.replace(/\/+$/, ""));

/** PEM of extra CA certificates to trust, from a file (read once at start-up). */
const caFile = z.string().min(1).optional();

const syslogSink = z
  .object({
    name,
    type: z.literal("syslog"),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    tls: z.boolean().default(false),
    caFile,
    /** TLS server name when it differs from `host`. */
    serverName: z.string().min(1).optional(),
    /** RFC 5424 facility (default 13, "log audit"). */
    facility: z.number().int().min(0).max(23).default(13),
    /** HOSTNAME field of each message (default: this machine's host name). */
    hostname: z.string().regex(/^[!-~]{1,255}$/, "printable ASCII without spaces").optional(),
    appName: z.string().regex(/^[!-~]{1,48}$/, "1-48 printable ASCII characters").default("modelgate"),
  })
  .strict();

const splunkSink = z
  .object({
    name,
    type: z.literal("splunk"),
    /** Base URL of the HTTP Event Collector, e.g. https://splunk.example.com:8088 */
    url: httpUrl,
    token: z.string().min(1),
    index: z.string().min(1).optional(),
    source: z.string().min(1).default("modelgate"),
    caFile,
  })
  .strict();

const elasticsearchSink = z
  .object({
    name,
    type: z.literal("elasticsearch"),
    url: httpUrl,
    /** Sent as `Authorization: ApiKey <apiKey>` (the encoded id:key Elasticsearch returns). */
    apiKey: z.string().min(1).optional(),
    /** Index prefix: documents go to `<index>-audit` and `<index>-security`. */
    index: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "a lower-case index name").default("modelgate"),
    caFile,
  })
  .strict();

export const sinkConfigSchema = z.discriminatedUnion("type", [syslogSink, splunkSink, elasticsearchSink]);
export type SinkConfig = z.output<typeof sinkConfigSchema>;
export type SyslogSinkConfig = Extract<SinkConfig, { type: "syslog" }>;
export type SplunkSinkConfig = Extract<SinkConfig, { type: "splunk" }>;
export type ElasticsearchSinkConfig = Extract<SinkConfig, { type: "elasticsearch" }>;

const sinksSchema = z
  .array(sinkConfigSchema)
  .max(16, "at most 16 sinks")
  .refine((sinks) => new Set(sinks.map((s) => s.name)).size === sinks.length, "sink names must be unique");

export class SinkConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SinkConfigError";
  }
}

/**
 * Parses `LOG_SINKS` (unset or empty: no sinks). The error message points at
 * the offending field (`LOG_SINKS[1].url: ...`) and never repeats a value.
 */
export function parseSinkConfigs(text: string | undefined): SinkConfig[] {
  if (!text || !text.trim()) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SinkConfigError("not valid JSON (expected an array of sink objects)");
  }
  const parsed = sinksSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
  throw new SinkConfigError(`${where ? `LOG_SINKS${where}` : "LOG_SINKS"}: ${issue.message}`);
}

/** The PEM a sink's `caFile` names, or undefined. */
export function readCa(config: { caFile?: string }): string | undefined {
  return config.caFile ? readFileSync(config.caFile, "utf8") : undefined;
}

/** What `mg` and log lines may show of a sink: no token, no API key. */
export function describeSink(config: SinkConfig): { name: string; type: string; target: string } {
  if (config.type === "syslog") return { name: config.name, type: config.type, target: `${config.tls ? "tls" : "tcp"}://${config.host}:${config.port}` };
  const url = new URL(config.url);
  url.username = "";
  url.password = "";
  const target = url.toString().replace(/\/$/, "");
  return { name: config.name, type: config.type, target };
}
