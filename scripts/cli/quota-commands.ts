import { getRedis } from "../../lib/redis/shared";
import { clearTenantQuota, setTenantQuota } from "../../lib/quotas/set-quota";
import { getQuotaStatus } from "../../lib/quotas/quota-status";
import type { QuotaStatus, QuotaView } from "../../lib/quotas/quota-schemas";
import { cliActor, tenantIdOf, type CommandArgs } from "./context";
import { table, UsageError, type Printer } from "./output";

function positiveInt(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.replace(/_/g, ""));
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${flag} must be a whole number >= 1 (got "${text}")`);
  return n;
}

const describeLimit = (l: { limit: number; hard: boolean } | null, unit: string) =>
  l ? `${l.limit.toLocaleString("en-US")} ${unit} (${l.hard ? "hard: deny" : "soft: warn"})` : `no ${unit} limit`;

function describeQuota(q: QuotaView | null): string {
  if (!q) return "no quota";
  return `per ${q.period} (${q.timeZone}): ${describeLimit(q.requests, "requests")}, ${describeLimit(q.tokens, "tokens")}`;
}

function describeStatus(slug: string, s: QuotaStatus): string {
  const lines = [`tenant ${slug}: ${describeQuota(s.quota)}`];
  if (s.current) {
    const of = (used: number, l: { limit: number } | null | undefined) => (l ? `${used} / ${l.limit}` : String(used));
    lines.push(`current ${s.current.period} ${s.current.periodKey} (ends ${s.current.endsAt}): requests ${of(s.current.requests, s.quota?.requests)}, tokens ${of(s.current.tokens, s.quota?.tokens)}`);
  }
  if (s.history.length) {
    lines.push("closed periods:");
    lines.push(table(s.history.map((h) => ({ period: h.periodKey, requests: String(h.requests), tokens: String(h.tokens), closed: h.closedAt })), ["period", "requests", "tokens", "closed"]));
  }
  return lines.join("\n");
}

/**
 * `mg quota set --tenant S --period day|month --requests N [--tokens N] [--hard] [--tz ZONE]`,
 * `mg quota show --tenant S`, `mg quota clear --tenant S`.
 */
export async function quotaCommand(sub: string | undefined, args: CommandArgs, out: Printer, flags: { hard?: boolean } = {}): Promise<void> {
  const v = args.values;
  switch (sub) {
    case "set": {
      const tenantId = await tenantIdOf(v.tenant);
      if (v.period !== "day" && v.period !== "month") throw new UsageError("quota set needs --period day or --period month");
      const requests = positiveInt("requests", v.requests);
      const tokens = positiveInt("tokens", v.tokens);
      if (requests === undefined && tokens === undefined) throw new UsageError("quota set needs --requests N, --tokens N or both");
      const hard = flags.hard === true;
      const quota = await setTenantQuota(
        tenantId,
        {
          period: v.period,
          requests: requests === undefined ? null : { limit: requests, hard },
          tokens: tokens === undefined ? null : { limit: tokens, hard },
          ...(v.tz !== undefined && { timeZone: v.tz }),
        },
        { actor: cliActor() },
      );
      return out.result({ quota }, () => `tenant ${v.tenant}: ${describeQuota(quota)}`);
    }
    case "show": {
      const tenantId = await tenantIdOf(v.tenant);
      const status = await getQuotaStatus(tenantId, { redis: getRedis() });
      return out.result(status, () => describeStatus(v.tenant!, status));
    }
    case "clear": {
      const tenantId = await tenantIdOf(v.tenant);
      await clearTenantQuota(tenantId, { actor: cliActor() });
      return out.result({ quota: null }, () => `tenant ${v.tenant}: no quota`);
    }
    default:
      throw new UsageError("quota commands: set, show, clear");
  }
}
