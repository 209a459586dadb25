import type { TxClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { keyOfTenant, queryUsage } from "./query-usage";
import { resolveUsageRange, type UsageRange } from "./usage-range";
import type { UsageFilter, UsageQuery, UsageReport } from "./usage-schemas";

/** The tenant's time zone (`tenants.time_zone`, its quota periods' zone). Call inside withTenant. */
export async function tenantTimeZone(tx: TxClient, tenantId: string): Promise<string> {
  const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { timeZone: true } });
  if (!tenant) throw new AppError("not_found", "Tenant not found");
  return tenant.timeZone;
}

/** The range a query covers for this tenant: day buckets (and dates without an offset) in its time zone. */
export async function resolveTenantUsageRange(tx: TxClient, tenantId: string, query: UsageQuery, now: Date = new Date()): Promise<UsageRange> {
  return resolveUsageRange(query, now, await tenantTimeZone(tx, tenantId));
}

/** What GET .../usage, the CLI and the console answer: the report of `query` for this tenant. Call inside withTenant. */
export async function readUsageReport(tx: TxClient, tenantId: string, query: UsageQuery, now: Date = new Date()): Promise<UsageReport> {
  const range = await resolveTenantUsageRange(tx, tenantId, query, now);
  return queryUsage(tx, tenantId, range, query.by, { keyId: query.key ?? null, model: query.model ?? null });
}

/**
 * The range and filter of a CSV export, checked before its first byte (an
 * unknown key is a 404, not an empty file). Call inside withTenant.
 */
export async function prepareUsageExport(tx: TxClient, tenantId: string, query: UsageQuery, now: Date = new Date()): Promise<{ range: UsageRange; filter: UsageFilter }> {
  const range = await resolveTenantUsageRange(tx, tenantId, query, now);
  if (query.key) await keyOfTenant(tx, tenantId, query.key);
  return { range, filter: { keyId: query.key ?? null, model: query.model ?? null } };
}
