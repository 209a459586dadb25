// mg: the operator CLI. A stable contract for scripts: with --json every
// command prints one JSON object on stdout; errors go to stderr; exit codes
// 0 ok, 1 failed, 2 usage error.
import { parseArgs } from "node:util";
import { ConfigError, getConfig } from "../lib/config/env";
import { getDb } from "../lib/db/client";
import { closeSharedRedis } from "../lib/redis/shared";
import { cryptoCommand } from "./cli/crypto-commands";
import { sinkCommand } from "./cli/sink-commands";
import { auditCommand } from "./cli/audit-commands";
import { keyCommand } from "./cli/key-commands";
import { modelCommand } from "./cli/model-commands";
import { operatorCommand } from "./cli/operator-commands";
import { quotaCommand } from "./cli/quota-commands";
import { retentionCommand } from "./cli/retention-commands";
import { EXIT, printer, reportError, UsageError } from "./cli/output";
import { tenantCommand } from "./cli/tenant-commands";
import { usageCommand } from "./cli/usage-commands";

const HELP = `mg — ModelGate operator CLI

  mg tenant create --name N [--slug S] [--owner EMAIL]
  mg tenant list
  mg tenant suspend SLUG [--reason TEXT]
  mg tenant activate SLUG
  mg tenant gateway SLUG [--ips cidr,...|any] [--rate N/60s|none] [--max-body BYTES]
                    [--redis-failure closed|open]   (no option: show; audited, gateways apply it within ~1 s)
  mg key create --tenant S --name N --scopes a,b [--models m1,m2] [--ips cidr,...]
                [--expires ISO] [--rate N/60s]
  mg key list --tenant S
  mg key rotate ID [--grace 1h]
  mg key revoke ID
  mg model create --tenant S --name N --protocol openai|kserve-v2|torchserve|tfserving --url U
                  [--version V] [--credential-from-env VAR [--credential-header H]]
                  [--description T] [--timeout MS] [--concurrency N] [--visibility private|shared]
  mg model list --tenant S
  mg model add-version ID --version V --url U [--credential-from-env VAR] [--timeout MS] [--concurrency N]
  mg model update ID [--url U] [--version V] [--credential-from-env VAR | --clear-credential]
                  [--timeout MS] [--concurrency N] [--enabled true|false] [--default-version V]
                  [--split V:P,V:P | --split none] [--name N] [--protocol P] [--visibility V]
                                 (backend flags apply to --version, else the default version)
  mg model delete ID
  mg model grant --model ID --tenant S        (a shared model, to another tenant)
  mg model revoke-grant --model ID --tenant S (its gateways refuse the model within ~1 s)
  mg model grants --model ID
  mg audit verify [--tenant S] [--from ISO --to ISO]
                                 (recompute the hash chain; exit 0 valid, 1 broken, 2 usage)
  mg audit checkpoint [--tenant S]   (sign the chain heads now)
  mg audit public-key            (the Ed25519 key checkpoints are signed with)
  mg usage --tenant S [--from ISO] [--to ISO] [--range 24h|7d|30d] [--by key|model]
           [--granularity minute|hour|day] [--key ID] [--model NAME]
                                 (day buckets and dates without an offset: the tenant's time zone)
  mg quota set --tenant S --period day|month [--requests N] [--tokens N] [--hard] [--tz ZONE]
                                 (soft quotas warn, --hard ones deny with 429 quota_exceeded)
  mg quota show --tenant S       (quota, this period's use, closed periods)
  mg quota clear --tenant S
  mg retention show --tenant S   (days per data class, oldest row kept, last run)
  mg retention set --tenant S --class usage_events|usage_rollups|security_events|audit_logs
                   --days N|default
  mg retention run --tenant S    (delete what has expired now, print the counts)
  mg operator grant EMAIL        (platform operator: may open /operator)
  mg operator revoke EMAIL
  mg crypto status               (master keys in use, data-key rotations in progress)
  mg crypto rewrap               (after a master-key change: re-wrap every data key)
  mg crypto rotate-data-key --tenant S | --platform [--inline [--batch-size N]]
                                 (new data-key version; a job re-encrypts the secrets)
  mg sink status                 (central log sinks of LOG_SINKS and how far each is behind)

Options: --json (one JSON object per command), --help.
Scopes: inference, models:read, usage:read, keys:read, keys:write, models:write, audit:read.
Connects with DATABASE_URL and REDIS_URL, like the other processes.`;

const OPTIONS = {
  json: { type: "boolean" },
  platform: { type: "boolean" },
  inline: { type: "boolean" },
  "batch-size": { type: "string" },
  help: { type: "boolean", short: "h" },
  name: { type: "string" },
  slug: { type: "string" },
  owner: { type: "string" },
  reason: { type: "string" },
  tenant: { type: "string" },
  scopes: { type: "string" },
  models: { type: "string" },
  ips: { type: "string" },
  expires: { type: "string" },
  rate: { type: "string" },
  grace: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  range: { type: "string" },
  by: { type: "string" },
  granularity: { type: "string" },
  key: { type: "string" },
  period: { type: "string" },
  requests: { type: "string" },
  tokens: { type: "string" },
  hard: { type: "boolean" },
  tz: { type: "string" },
  model: { type: "string" },
  protocol: { type: "string" },
  url: { type: "string" },
  version: { type: "string" },
  description: { type: "string" },
  visibility: { type: "string" },
  timeout: { type: "string" },
  concurrency: { type: "string" },
  enabled: { type: "string" },
  "default-version": { type: "string" },
  split: { type: "string" },
  "credential-from-env": { type: "string" },
  "credential-header": { type: "string" },
  "clear-credential": { type: "boolean" },
  class: { type: "string" },
  days: { type: "string" },
  "max-body": { type: "string" },
  "redis-failure": { type: "string" },
} as const;

async function main(argv: string[]): Promise<number> {
  let json = argv.includes("--json");
  try {
    const parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    json = parsed.values.json ?? false;
    const [group, sub, ...positionals] = parsed.positionals;
    if (parsed.values.help || !group) {
      process.stdout.write(`${HELP}\n`);
      return group || parsed.values.help ? EXIT.ok : EXIT.usage;
    }
    getConfig();
    const args = { values: parsed.values as Record<string, string | undefined>, positionals };
    const out = printer(json);
    if (group === "audit") return await auditCommand(sub, args, out);
    if (group === "tenant") await tenantCommand(sub, args, out);
    else if (group === "key") await keyCommand(sub, args, out);
    else if (group === "model") await modelCommand(sub, args, out);
    else if (group === "usage") await usageCommand(sub, args, out);
    else if (group === "operator") await operatorCommand(sub, args, out);
    else if (group === "quota") await quotaCommand(sub, args, out, { hard: parsed.values.hard });
    else if (group === "crypto") await cryptoCommand(sub, args, out);
    else if (group === "sink") await sinkCommand(sub, args, out);
    else if (group === "retention") await retentionCommand(sub, args, out);
    else throw new UsageError(`unknown command "${group}"; see mg --help`);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof ConfigError) return reportError(new UsageError(`configuration: ${err.message}`), json);
    if ((err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) return reportError(new UsageError((err as Error).message), json);
    return reportError(err, json);
  } finally {
    await getDb().$disconnect().catch(() => {});
    await closeSharedRedis();
  }
}

process.exitCode = await main(process.argv.slice(2));
