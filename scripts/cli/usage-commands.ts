import { withTenant } from "../../lib/db/tenant-scope";
import { parseInput } from "../../lib/errors/validation";
import { readUsageReport } from "../../lib/usage/read-usage";
import { usageQuery, type UsageReport, type UsageRow, type UsageTotals } from "../../lib/usage/usage-schemas";
import { tenantIdOf, type CommandArgs } from "./context";
import { table, UsageError, type Printer } from "./output";

const count = (n: number) => n.toLocaleString("en-US");
const ms = (n: number | null) => (n === null ? "-" : `${n} ms`);

const figures = (f: UsageTotals) => ({
  requests: count(f.requests),
  errors: count(f.errors),
  tokens: count(f.totalTokens),
  p50: ms(f.p50LatencyMs),
  p95: ms(f.p95LatencyMs),
});

function rowLabel(r: UsageRow): string {
  if (r.keyId !== null) return r.keyName ? `${r.keyName} (${r.keyId.slice(0, 8)})` : r.keyId;
  return r.model || "(no model)";
}

function heading(tenant: string, r: UsageReport): string {
  const zone = r.granularity === "day" ? `days of ${r.timeZone}` : `${r.granularity} buckets, UTC`;
  const only = [r.filter.keyId && `key ${r.filter.keyName ?? r.filter.keyId}`, r.filter.model !== null && `model ${r.filter.model}`].filter(Boolean);
  return `usage of ${tenant}${only.length ? ` (only ${only.join(", ")})` : ""} from ${r.from} to ${r.to} (${zone})`;
}

/**
 * `mg usage --tenant S [--from ISO] [--to ISO] [--range 24h|7d|30d] [--by key|model] [--granularity g] [--key ID] [--model NAME]`:
 * the same figures as the console and GET /api/v1/tenants/{slug}/usage (totals and rows, from the rollups).
 */
export async function usageCommand(sub: string | undefined, args: CommandArgs, out: Printer): Promise<void> {
  if (sub !== undefined) throw new UsageError(`usage takes no subcommand (got "${sub}"); see mg --help`);
  const v = args.values;
  const tenantId = await tenantIdOf(v.tenant);
  const query = parseInput(usageQuery, { from: v.from, to: v.to, range: v.range, by: v.by, granularity: v.granularity, key: v.key, model: v.model });
  const report = await withTenant(tenantId, (tx) => readUsageReport(tx, tenantId, query));
  const { series: _series, ...result } = report;
  return out.result({ tenant: v.tenant, ...result }, () => {
    const t = figures(report.totals);
    return [
      heading(v.tenant!, report),
      `  ${t.requests} requests, ${t.errors} errors, ${t.tokens} tokens, latency p50 ${t.p50}, p95 ${t.p95}`,
      "",
      table(
        report.rows.map((r) => ({ [query.by]: rowLabel(r), ...figures(r) })),
        [query.by, "requests", "errors", "tokens", "p50", "p95"],
      ),
    ].join("\n");
  });
}
