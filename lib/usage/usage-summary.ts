import { withTenant } from "../db/tenant-scope";
import { queryUsage } from "./query-usage";
import { resolveUsageRange } from "./usage-range";
import type { UsageTotals } from "./usage-schemas";

/** The tenant's last 24 hours (whole hours) in figures, for the overview page. */
export async function getUsageSummary(tenantId: string, now: Date = new Date()): Promise<UsageTotals> {
  const range = resolveUsageRange({ range: "24h" }, now);
  const report = await withTenant(tenantId, (tx) => queryUsage(tx, tenantId, range, "model"));
  return report.totals;
}
