// mg: the operator CLI. A stable contract for scripts: with --json every
// command prints one JSON object on stdout; errors go to stderr; exit codes
// 0 ok, 1 failed, 2 usage error.
import { parseArgs } from "node:util";
import { ConfigError, getConfig } from "../lib/config/env";
import { getDb } from "../lib/db/client";
import { closeSharedRedis } from "../lib/redis/shared";
import { keyCommand } from "./cli/key-commands";
import { EXIT, printer, reportError, UsageError } from "./cli/output";
import { tenantCommand } from "./cli/tenant-commands";

const HELP = `mg — ModelGate operator CLI

  mg tenant create --name N [--slug S] [--owner EMAIL]
  mg tenant list
  mg tenant suspend SLUG [--reason TEXT]
  mg tenant activate SLUG
  mg key create --tenant S --name N --scopes a,b [--models m1,m2] [--ips cidr,...]
                [--expires ISO] [--rate N/60s]
  mg key list --tenant S
  mg key rotate ID [--grace 1h]
  mg key revoke ID

Options: --json (one JSON object per command), --help.
Scopes: inference, models:read, usage:read, keys:read, keys:write, models:write, audit:read.
Connects with DATABASE_URL and REDIS_URL, like the other processes.`;

const OPTIONS = {
  json: { type: "boolean" },
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
    if (group === "tenant") await tenantCommand(sub, args, out);
    else if (group === "key") await keyCommand(sub, args, out);
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
